// Glue between react-hook-form and the API: server field errors land under their fields, and a failed
// save says so beside its button (components/save-failure.tsx) and in a toast.
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { toast } from 'sonner';
import { isApiError } from '@/lib/api';
import { formatWait } from '@/lib/utils';

/** Whether the server named one of `fieldNames` in its answer (a 422's details.fields). */
export function serverFieldsShown(error: unknown, fieldNames: readonly string[]): boolean {
  return isApiError(error) && Object.keys(error.fields).some((field) => fieldNames.includes(field));
}

/** Puts the server's field errors under the form's fields; true when at least one was placed. */
export function applyServerFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldNames: readonly Path<T>[],
): boolean {
  if (!isApiError(error)) return false;
  let placed = false;
  for (const [field, message] of Object.entries(error.fields)) {
    if ((fieldNames as readonly string[]).includes(field)) {
      setError(field as Path<T>, { type: 'server', message });
      placed = true;
    }
  }
  return placed;
}

/**
 * What a failed save says: that fields need attention when the server's messages went under them
 * (`fieldsShown`), else the server's message (with when to try again after a 429).
 */
export function saveFailureMessage(error: unknown, fieldsShown = false): string {
  if (fieldsShown) return 'Some fields need attention.';
  if (isApiError(error)) {
    // Field errors the form has no field for are told here, after the message.
    const parts = [error.message, ...Object.values(error.fields)];
    if (error.retryAfter) parts.push(`Try again in ${formatWait(error.retryAfter)}.`);
    return [...new Set(parts)].join(' ');
  }
  return error instanceof Error && error.message ? error.message : 'Something went wrong.';
}

/** The toast of a failed save, e.g. "Bot not saved" — "Some fields need attention.". */
export function toastSaveFailure(
  title: string,
  error: unknown,
  fieldsShown = false,
  message = saveFailureMessage(error, fieldsShown),
) {
  toast.error(title, { description: message });
}
