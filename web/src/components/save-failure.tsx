// A failed save, shown beside the button that saves (in the sticky save bar where there is one), so it
// is seen where the person looks: what went wrong, or that some fields need attention.
import { AlertCircle } from 'lucide-react';
import { saveFailureMessage } from '@/lib/forms';
import { cn } from '@/lib/utils';

export function SaveFailure({
  error,
  fieldsShown = false,
  message: told,
  className,
}: {
  /** The save's error; nothing is shown without one. */
  error: unknown;
  /** The server's field errors went under their fields. */
  fieldsShown?: boolean;
  /** What to say instead of the message made from the error. */
  message?: string;
  className?: string;
}) {
  if (!error) return null;
  const message = told ?? saveFailureMessage(error, fieldsShown);
  return (
    <p
      role="alert"
      className={cn('flex min-w-0 items-start gap-1.5 text-sm font-medium text-destructive', className)}
    >
      <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span className="min-w-0 break-words">
        Not saved: {fieldsShown && !told ? message.charAt(0).toLowerCase() + message.slice(1) : message}
      </span>
    </p>
  );
}
