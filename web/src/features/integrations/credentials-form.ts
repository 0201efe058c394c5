// The connect/edit form's rules, apart from React: required fields, what is sent, and where the
// server's field errors go.
import { isApiError, type CredentialField, type CredentialState } from '@/lib/api';

export type FormErrors = Record<string, string>;

/** The form's key for a credential, the same as the server's error key. */
export const credentialKey = (field: string) => `credentials.${field}`;

/** "•••• abcd" for a stored value's hint, whether the server masked it already or not. */
export function maskedHint(state: CredentialState | undefined): string | null {
  if (!state?.set) return null;
  // The server may send "abcd", "…abcd" or "****abcd": show them all alike.
  const lastFour = (state.hint ?? '').replace(/^[•*·.…\s]+/, '');
  return lastFour ? `•••• ${lastFour}` : '••••';
}

/** "Phone number ID" → "phone number ID", but "API key" stays as it is. */
export function lowerFirst(label: string): string {
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/**
 * Checks the form before sending: a name, and every required field that has no stored value
 * (`stored` is absent when connecting a new account).
 */
export function validateCredentials(
  fields: CredentialField[],
  name: string,
  values: Record<string, string>,
  stored?: Record<string, CredentialState>,
): FormErrors {
  const errors: FormErrors = {};
  if (name.trim() === '') errors.name = 'Enter a name, e.g. the account it is.';
  for (const field of fields) {
    const keeps = stored?.[field.name]?.set === true;
    if (field.required && !keeps && (values[field.name] ?? '').trim() === '') {
      errors[credentialKey(field.name)] = `Enter the ${lowerFirst(field.label)}.`;
    }
  }
  return errors;
}

/** The credentials typed in: empty ones are left out (on an edit, that keeps the stored value). */
export function typedCredentials(fields: CredentialField[], values: Record<string, string>) {
  const credentials: Record<string, string> = {};
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim();
    if (value !== '') credentials[field.name] = value;
  }
  return credentials;
}

/**
 * Splits a failed save into messages under the form's fields (422 per field, 409 for a taken name)
 * and what is left for the alert above the buttons.
 */
export function serverErrors(
  error: unknown,
  fields: CredentialField[],
): { fieldErrors: FormErrors; rest: string[] } {
  if (!isApiError(error)) return { fieldErrors: {}, rest: [] };
  if (error.status === 409) return { fieldErrors: { name: error.message }, rest: [] };
  const known = new Set(['name', ...fields.map((field) => credentialKey(field.name))]);
  const fieldErrors: FormErrors = {};
  const rest: string[] = [];
  for (const [key, message] of Object.entries(error.fields)) {
    if (known.has(key)) fieldErrors[key] = message;
    else rest.push(message);
  }
  return { fieldErrors, rest };
}
