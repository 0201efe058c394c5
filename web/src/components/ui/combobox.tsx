// A searchable single choice: a text box that filters a list (ARIA 1.2 combobox with a listbox).
// Typing filters; ↓/↑ move through the matches, Enter picks, Escape closes (and then restores the
// chosen value), leaving the box keeps the last choice. For lists too long for a <select>.
import * as React from 'react';
import { Check, ChevronsUpDown } from 'lucide-react';
import { inputClassName } from '@/components/ui/input';
import { cn } from '@/lib/utils';

export interface ComboboxOption {
  value: string;
  label: string;
}

export interface ComboboxProps extends Omit<
  React.InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'defaultValue' | 'role'
> {
  id: string;
  value: string;
  onValueChange: (value: string) => void;
  options: ComboboxOption[];
  /** Said in the list when nothing matches. */
  emptyText?: string;
}

/** Lower case, with "_", "/" and "-" read as spaces, so "new york" finds America/New_York. */
function fold(text: string) {
  return text.toLowerCase().replace(/[_/-]+/g, ' ');
}

export const Combobox = React.forwardRef<HTMLInputElement, ComboboxProps>(
  (
    { id, value, onValueChange, options, emptyText = 'No matches.', className, onBlur, onKeyDown, ...props },
    ref,
  ) => {
    const listId = `${id}-listbox`;
    const selected = options.find((option) => option.value === value);
    const [open, setOpen] = React.useState(false);
    const [query, setQuery] = React.useState<string | null>(null); // null: not typing, show the choice
    const [active, setActive] = React.useState(0);
    const list = React.useRef<HTMLUListElement>(null);

    const matches = React.useMemo(() => {
      if (!query) return options;
      const words = fold(query).split(/\s+/).filter(Boolean);
      return options.filter((option) => {
        const haystack = fold(`${option.label} ${option.value}`);
        return words.every((word) => haystack.includes(word));
      });
    }, [options, query]);

    const openList = (from: number) => {
      setOpen(true);
      setActive(Math.max(0, Math.min(from, matches.length - 1)));
    };
    const close = () => {
      setOpen(false);
      setQuery(null);
    };
    const choose = (option: ComboboxOption | undefined) => {
      if (option) onValueChange(option.value);
      close();
    };

    // Keep the active option in view as the arrows move through a long list.
    React.useEffect(() => {
      if (!open) return;
      const item = list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
      item?.scrollIntoView?.({ block: 'nearest' });
    }, [active, open]);

    const activeId = open && matches[active] ? `${id}-option-${active}` : undefined;
    return (
      <div className="relative">
        <input
          ref={ref}
          id={id}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          autoComplete="off"
          spellCheck={false}
          className={cn(inputClassName, 'pr-8', className)}
          value={query ?? selected?.label ?? value}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
            setActive(0);
          }}
          onClick={() =>
            open
              ? undefined
              : openList(
                  Math.max(
                    0,
                    matches.findIndex((o) => o.value === value),
                  ),
                )
          }
          onKeyDown={(event) => {
            onKeyDown?.(event);
            if (event.defaultPrevented) return;
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              event.preventDefault();
              const step = event.key === 'ArrowDown' ? 1 : -1;
              if (!open)
                openList(
                  Math.max(
                    0,
                    matches.findIndex((o) => o.value === value),
                  ),
                );
              else setActive((current) => Math.max(0, Math.min(current + step, matches.length - 1)));
            } else if (event.key === 'Home' && open) {
              event.preventDefault();
              setActive(0);
            } else if (event.key === 'End' && open) {
              event.preventDefault();
              setActive(matches.length - 1);
            } else if (event.key === 'Enter' && open) {
              event.preventDefault(); // picks; does not submit the form
              choose(matches[active]);
            } else if (event.key === 'Escape' && (open || query !== null)) {
              event.stopPropagation(); // closes the list, not the dialog around it
              event.preventDefault();
              close();
            }
          }}
          onBlur={(event) => {
            close();
            onBlur?.(event);
          }}
          {...props}
        />
        <ChevronsUpDown
          aria-hidden="true"
          className="pointer-events-none absolute right-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        />
        {open ? (
          <ul
            ref={list}
            id={listId}
            role="listbox"
            aria-label="Matches"
            className="absolute z-50 mt-1 max-h-64 w-full overflow-y-auto rounded-md border bg-popover p-1 text-sm text-popover-foreground shadow-md"
          >
            {matches.length === 0 ? (
              <li role="presentation" className="px-2 py-1.5 text-muted-foreground">
                {emptyText}
              </li>
            ) : (
              matches.map((option, index) => (
                <li
                  key={option.value}
                  id={`${id}-option-${index}`}
                  data-index={index}
                  role="option"
                  aria-selected={option.value === value}
                  className={cn(
                    'flex cursor-pointer items-center gap-2 rounded-sm px-2 py-1.5',
                    index === active && 'bg-accent text-accent-foreground',
                  )}
                  // mousedown, not click: the input keeps focus and its blur does not close first.
                  onMouseDown={(event) => {
                    event.preventDefault();
                    choose(option);
                  }}
                  onMouseMove={() => setActive(index)}
                >
                  <Check
                    aria-hidden="true"
                    className={cn('size-4 shrink-0', option.value === value ? 'opacity-100' : 'opacity-0')}
                  />
                  <span className="min-w-0 break-words">{option.label}</span>
                </li>
              ))
            )}
          </ul>
        ) : null}
      </div>
    );
  },
);
Combobox.displayName = 'Combobox';
