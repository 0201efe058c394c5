import { describe, expect, it } from 'vitest';
import {
  emailChangeSchema,
  forgotPasswordSchema,
  isCodeLike,
  normalizeResetCode,
  resetPasswordSchema,
  resetPasswordWithCodeSchema,
} from '@/features/recovery/schemas';

function messages(result: {
  success: boolean;
  error?: { issues: { path: (string | number)[]; message: string }[] };
}) {
  // The first message of each field, as the form shows it.
  const found: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) found[issue.path.join('.')] ??= issue.message;
  return found;
}

describe('recovery form rules', () => {
  it('wants an email address to send the reset link to', () => {
    expect(messages(forgotPasswordSchema.safeParse({ email: '' }))).toEqual({
      email: 'Enter your email address.',
    });
    expect(messages(forgotPasswordSchema.safeParse({ email: 'ada' }))).toEqual({
      email: 'Enter a valid email address.',
    });
    expect(forgotPasswordSchema.parse({ email: ' ada@example.com ' })).toEqual({ email: 'ada@example.com' });
    expect(emailChangeSchema.safeParse({ email: 'nope' }).success).toBe(false);
  });

  it('wants a new password of 10 characters, typed twice the same', () => {
    expect(
      messages(resetPasswordSchema.safeParse({ new_password: 'short', confirm_password: '', code: '' })),
    ).toEqual({ new_password: 'Use at least 10 characters.', confirm_password: 'Repeat the new password.' });
    expect(
      messages(
        resetPasswordSchema.safeParse({
          new_password: 'long enough!',
          confirm_password: 'long enough?',
          code: '',
        }),
      ),
    ).toEqual({ confirm_password: 'The passwords do not match.' });
    expect(
      resetPasswordSchema.safeParse({
        new_password: 'long enough!',
        confirm_password: 'long enough!',
        code: '',
      }).success,
    ).toBe(true);
  });

  it('wants a code when the account has two-factor sign-in: app digits or a recovery code', () => {
    const base = { new_password: 'long enough!', confirm_password: 'long enough!' };
    expect(messages(resetPasswordWithCodeSchema.safeParse({ ...base, code: ' ' }))).toEqual({
      code: 'Enter the code from your authenticator app or a recovery code.',
    });
    expect(messages(resetPasswordWithCodeSchema.safeParse({ ...base, code: '12345' }))).toEqual({
      code: 'Enter the 6 digits from your app, or a recovery code such as abcde-12345.',
    });
    expect(resetPasswordWithCodeSchema.safeParse({ ...base, code: '123 456' }).success).toBe(true);
    expect(resetPasswordWithCodeSchema.safeParse({ ...base, code: 'ABCDE 12345' }).success).toBe(true);
  });

  it('sends codes the way the server stores them', () => {
    expect(isCodeLike('123-456')).toBe(true);
    expect(isCodeLike('abcde-1234')).toBe(false);
    expect(normalizeResetCode(' 123 456 ')).toBe('123456');
    expect(normalizeResetCode('ABCDE 12345')).toBe('abcde-12345');
    expect(normalizeResetCode('abcde-12345')).toBe('abcde-12345');
  });
});
