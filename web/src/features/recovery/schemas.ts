// Form rules of account recovery, mirroring the server's (docs/api.md): caught before sending.
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '@/features/auth/schemas';

const email = z.string().trim().min(1, 'Enter your email address.').email('Enter a valid email address.');

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z
  .object({
    new_password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`),
    confirm_password: z.string().min(1, 'Repeat the new password.'),
    code: z.string(),
  })
  .refine((values) => values.new_password === values.confirm_password, {
    path: ['confirm_password'],
    message: 'The passwords do not match.',
  });

/** Two-factor accounts: the code is required, as 6 digits or a recovery code such as abcde-12345. */
export const resetPasswordWithCodeSchema = resetPasswordSchema.superRefine((values, context) => {
  const code = values.code.trim();
  if (!code) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['code'],
      message: 'Enter the code from your authenticator app or a recovery code.',
    });
  } else if (!isCodeLike(code)) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['code'],
      message: 'Enter the 6 digits from your app, or a recovery code such as abcde-12345.',
    });
  }
});

export const emailChangeSchema = z.object({ email });

/** 6 digits (spaces and dashes allowed), or 10 letters and digits with an optional dash. */
export function isCodeLike(text: string): boolean {
  const compact = text.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(compact) || /^[a-z0-9]{10}$/i.test(compact);
}

/** What the server expects: "123456" for an app code, "abcde-12345" for a recovery code. */
export function normalizeResetCode(text: string): string {
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) return compact;
  if (/^[a-z0-9]{10}$/i.test(compact)) return `${compact.slice(0, 5)}-${compact.slice(5)}`.toLowerCase();
  return text.trim();
}

export type ForgotPasswordValues = z.infer<typeof forgotPasswordSchema>;
export type ResetPasswordValues = z.infer<typeof resetPasswordSchema>;
export type EmailChangeValues = z.infer<typeof emailChangeSchema>;
