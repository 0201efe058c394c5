// A failed save, shown beside the button that saves (in the sticky save bar where there is one), so it
// is seen where the person looks: what went wrong, or that some fields need attention. A save made
// while offline waits (TanStack Query pauses it) with its button disabled: say why, here too.
import { AlertCircle, WifiOff } from 'lucide-react';
import { BillingLink } from '@/components/billing-link';
import { isPlanError } from '@/lib/api';
import { saveFailureMessage } from '@/lib/forms';
import { cn } from '@/lib/utils';

export const OFFLINE_SAVE_MESSAGE = 'You are offline; we will save when you reconnect.';

export function SaveFailure({
  error,
  paused = false,
  fieldsShown = false,
  message: told,
  className,
}: {
  /** The save's error; nothing is shown without one. */
  error: unknown;
  /** The save is waiting for the network (the mutation's isPaused). */
  paused?: boolean;
  /** The server's field errors went under their fields. */
  fieldsShown?: boolean;
  /** What to say instead of the message made from the error. */
  message?: string;
  className?: string;
}) {
  if (paused) {
    return (
      <p
        role="status"
        className={cn('flex min-w-0 items-start gap-1.5 text-sm font-medium text-amber-800', className)}
      >
        <WifiOff className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span className="min-w-0 break-words">{OFFLINE_SAVE_MESSAGE}</span>
      </p>
    );
  }
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
        {isPlanError(error) ? (
          <>
            {' '}
            <BillingLink />
          </>
        ) : null}
      </span>
    </p>
  );
}
