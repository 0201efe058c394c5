// Pieces of a list's filter bar, shared by Operations and Conversations: a labelled filter, a
// from–until time range and the clear button.
import * as React from 'react';
import { X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { fromLocalInput, toLocalInput } from '@/lib/url-filters';
import { cn } from '@/lib/utils';

export function FilterField({
  id,
  label,
  className,
  children,
}: {
  id: string;
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={cn('grid gap-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {children}
    </div>
  );
}

interface TimeRangeFieldsProps {
  /** Ids are `<idPrefix>-from` and `<idPrefix>-to`. */
  idPrefix: string;
  fromLabel: string;
  toLabel: string;
  /** RFC 3339 (UTC), as the URL and the API hold them. */
  from: string | undefined;
  to: string | undefined;
  onChange: (changes: { from?: string | undefined; to?: string | undefined }) => void;
}

/** Two datetime-local inputs in the browser's time zone; each limits the other. */
export function TimeRangeFields({ idPrefix, fromLabel, toLabel, from, to, onChange }: TimeRangeFieldsProps) {
  return (
    <>
      <FilterField id={`${idPrefix}-from`} label={fromLabel}>
        <Input
          id={`${idPrefix}-from`}
          type="datetime-local"
          value={toLocalInput(from)}
          max={toLocalInput(to) || undefined}
          onChange={(event) => onChange({ from: fromLocalInput(event.target.value) || undefined })}
        />
      </FilterField>
      <FilterField id={`${idPrefix}-to`} label={toLabel}>
        <Input
          id={`${idPrefix}-to`}
          type="datetime-local"
          value={toLocalInput(to)}
          min={toLocalInput(from) || undefined}
          onChange={(event) => onChange({ to: fromLocalInput(event.target.value) || undefined })}
        />
      </FilterField>
    </>
  );
}

/** Shown only while some filter is set. */
export function ClearFiltersButton({
  shown,
  onClear,
  label = 'Clear filters',
  className,
}: {
  shown: boolean;
  onClear: () => void;
  label?: string;
  className?: string;
}) {
  if (!shown) return null;
  return (
    <div className={cn('flex items-end', className)}>
      <Button type="button" variant="ghost" onClick={onClear}>
        <X />
        {label}
      </Button>
    </div>
  );
}
