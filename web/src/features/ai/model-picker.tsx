// The "Model" field of a bot: free text with suggestions from OpenRouter's list (only the allowed
// models when the organisation restricts them), a hint saying where they come from, and an optional
// warning under it.
import * as React from 'react';
import { TriangleAlert } from 'lucide-react';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { modelListUnavailable, useModelChoices } from '@/features/ai/queries';
import { cn } from '@/lib/utils';

interface ModelPickerProps extends React.InputHTMLAttributes<HTMLInputElement> {
  id: string;
  error?: string;
  /** Shown under the field, e.g. that the saved model is no longer allowed. */
  warning?: React.ReactNode;
}

export const ModelPicker = React.forwardRef<HTMLInputElement, ModelPickerProps>(
  ({ id, error, warning, className, ...props }, ref) => {
    const choices = useModelChoices();
    const listId = `${id}-options`;
    const describedBy = [error ? `${id}-error` : `${id}-hint`, warning ? `${id}-warning` : null]
      .filter(Boolean)
      .join(' ');
    const hint = choices.restricted
      ? `This organization allows only these models: ${choices.allowed.join(', ')}.`
      : choices.catalogError
        ? modelListUnavailable(choices.catalogError)
        : choices.catalogLoaded
          ? 'Suggestions come from OpenRouter’s model list; any OpenRouter model id may be typed.'
          : 'An OpenRouter model id, e.g. openai/gpt-4o-mini.';

    return (
      <Field id={id} label="Model" error={error}>
        <Input
          ref={ref}
          id={id}
          list={listId}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cn('font-mono text-xs', className)}
          {...props}
        />
        <datalist id={listId}>
          {choices.models.map((model) => (
            <option key={model.id} value={model.id} label={model.name} />
          ))}
        </datalist>
        {error ? null : (
          <p id={`${id}-hint`} className="text-[0.8rem] text-muted-foreground">
            {hint}
          </p>
        )}
        {warning ? (
          <p id={`${id}-warning`} className="flex gap-1.5 text-[0.8rem] font-medium text-amber-700">
            <TriangleAlert className="mt-0.5 size-3.5 shrink-0" />
            <span>{warning}</span>
          </p>
        ) : null}
      </Field>
    );
  },
);
ModelPicker.displayName = 'ModelPicker';
