// The bot's resolution phrases: one line each, added and removed one by one (docs/api.md, bot shape).
import { Plus, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { RESOLUTION_PHRASE_LIMITS } from '@/features/bots/schema';

export function ResolutionPhrasesEditor({
  value,
  onChange,
  onBlur,
  error,
  itemErrors,
  disabled,
}: {
  value: string[];
  onChange: (phrases: string[]) => void;
  onBlur?: () => void;
  /** An error about the whole list (too many, or the server's answer). */
  error?: string;
  /** An error for each phrase, by its index. */
  itemErrors?: (string | undefined)[];
  disabled?: boolean;
}) {
  const full = value.length >= RESOLUTION_PHRASE_LIMITS.count;
  const describedBy = error ? 'bot-resolution-phrases-error' : 'bot-resolution-phrases-hint';
  return (
    <div role="group" aria-labelledby="bot-resolution-phrases-label" className="grid content-start gap-1.5">
      <Label id="bot-resolution-phrases-label">Resolution phrases</Label>
      <p id="bot-resolution-phrases-hint" className="text-[0.8rem] text-muted-foreground">
        When a user's message contains one of these phrases (any case or accents, whole words), the
        conversation counts as resolved.
      </p>
      {value.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No phrases: only templates and people resolve conversations.
        </p>
      ) : (
        <ul className="grid gap-2" aria-label="Resolution phrases">
          {value.map((phrase, index) => {
            const id = `bot-resolution-phrase-${index}`;
            const itemError = itemErrors?.[index];
            return (
              <li key={index} className="grid gap-1">
                <div className="flex gap-2">
                  <Input
                    id={id}
                    aria-label={`Resolution phrase ${index + 1}`}
                    aria-invalid={itemError || error ? true : undefined}
                    aria-describedby={itemError ? `${id}-error` : describedBy}
                    autoComplete="off"
                    value={phrase}
                    maxLength={RESOLUTION_PHRASE_LIMITS.length * 2}
                    onChange={(event) =>
                      // One line each: a pasted line break becomes a space.
                      onChange(
                        value.map((p, i) => (i === index ? event.target.value.replace(/[\r\n]+/g, ' ') : p)),
                      )
                    }
                    onBlur={onBlur}
                  />
                  <Button
                    type="button"
                    variant="outline"
                    size="icon"
                    aria-label={`Remove “${phrase || `phrase ${index + 1}`}”`}
                    onClick={() => onChange(value.filter((_, i) => i !== index))}
                    disabled={disabled}
                  >
                    <X />
                  </Button>
                </div>
                {itemError ? (
                  <p id={`${id}-error`} className="text-[0.8rem] font-medium text-destructive">
                    {itemError}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {error ? (
        <p id="bot-resolution-phrases-error" className="text-[0.8rem] font-medium text-destructive">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={disabled || full}
          onClick={() => onChange([...value, ''])}
        >
          <Plus /> Add a phrase
        </Button>
        <span className="text-xs text-muted-foreground">
          {value.length} of {RESOLUTION_PHRASE_LIMITS.count}
        </span>
      </div>
    </div>
  );
}
