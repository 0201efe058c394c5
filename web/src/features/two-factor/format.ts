// Pure helpers of two-factor sign-in: how codes are typed and checked before sending, how the
// secret is shown, and the recovery codes as a text file.
import { z } from 'zod';

/** Spaces and dashes people type or paste around a 6-digit code ("123 456"). */
export function normalizeAppCode(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/** A recovery code as the server stores it: lower case, one dash ("ABCDE 12345" → "abcde-12345"). */
export function normalizeRecoveryCode(text: string): string {
  const compact = text.replace(/[\s-]/g, '').toLowerCase();
  return compact.length === 10 ? `${compact.slice(0, 5)}-${compact.slice(5)}` : text.trim();
}

export const appCodeSchema = z.object({
  code: z
    .string()
    .transform(normalizeAppCode)
    .refine((code) => code.length > 0, 'Enter the 6-digit code from your app.')
    .refine((code) => code.length === 0 || /^\d{6}$/.test(code), 'The code has 6 digits.'),
});

export const recoveryCodeSchema = z.object({
  code: z
    .string()
    .transform(normalizeRecoveryCode)
    .refine((code) => code.length > 0, 'Enter one of your recovery codes.')
    .refine(
      (code) => code.length === 0 || /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(code),
      'A recovery code looks like abcde-12345.',
    ),
});

export type CodeValues = z.input<typeof appCodeSchema>;

/** The base32 secret in groups of four, easier to type into an app: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** The text file a user downloads or copies: one code a line, with what they are for. */
export function recoveryCodesText(codes: string[], account: string, now = new Date()): string {
  return [
    'Switchboard recovery codes',
    `Account: ${account}`,
    `Created: ${now.toISOString().slice(0, 10)}`,
    '',
    'Each code signs you in once when you cannot use your authenticator app.',
    'Keep them somewhere safe. Making a new set replaces these.',
    '',
    ...codes,
    '',
  ].join('\n');
}
