// A labelled form field with its hint and its validation message.
import * as React from 'react';
import { Label } from '@/components/ui/label';

interface FieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  /** A link or button at the end of the label's line (e.g. "Forgot password?"). */
  labelAction?: React.ReactNode;
  children: React.ReactNode;
}

/** Props that tie a control to its Field: give them to the input, select, etc. */
export function fieldControlProps(id: string, error?: string) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  } as const;
}

export function Field({ id, label, error, hint, labelAction, children }: FieldProps) {
  return (
    <div className="grid content-start gap-1.5">
      {labelAction ? (
        <div className="flex items-center justify-between gap-2">
          <Label htmlFor={id}>{label}</Label>
          {labelAction}
        </div>
      ) : (
        <Label htmlFor={id}>{label}</Label>
      )}
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-[0.8rem] font-medium text-destructive">
          {error}
        </p>
      ) : hint ? (
        <p className="text-[0.8rem] text-muted-foreground">{hint}</p>
      ) : null}
    </div>
  );
}
