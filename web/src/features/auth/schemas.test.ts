import { describe, expect, it } from 'vitest';
import { passwordChangeSchema, profileSchema, signInSchema, signUpSchema } from '@/features/auth/schemas';

function fieldErrors(result: { success: boolean; error?: { flatten(): { fieldErrors: object } } }) {
  return result.success ? {} : result.error!.flatten().fieldErrors;
}

describe('sign-up validation (matches the server)', () => {
  const valid = { name: 'Ada', email: 'ada@example.com', password: '0123456789' };

  it('accepts a valid sign-up and trims the name and email', () => {
    const result = signUpSchema.safeParse({ ...valid, name: '  Ada ', email: ' ada@example.com ' });
    expect(result.success && result.data).toEqual(valid);
  });

  it('rejects an email without the shape of an address', () => {
    expect(fieldErrors(signUpSchema.safeParse({ ...valid, email: 'ada@' }))).toEqual({
      email: ['Enter a valid email address.'],
    });
  });

  it('needs a password of at least 10 characters', () => {
    expect(fieldErrors(signUpSchema.safeParse({ ...valid, password: '012345678' }))).toEqual({
      password: ['Use at least 10 characters.'],
    });
    expect(signUpSchema.safeParse({ ...valid, password: '0123456789' }).success).toBe(true);
  });

  it('needs a name that is not only spaces', () => {
    expect(fieldErrors(signUpSchema.safeParse({ ...valid, name: '   ' }))).toEqual({
      name: ['Enter your name.'],
    });
  });
});

describe('sign-in validation', () => {
  it('needs an email and a password but does not judge the password length', () => {
    expect(signInSchema.safeParse({ email: 'ada@example.com', password: 'short' }).success).toBe(true);
    expect(Object.keys(fieldErrors(signInSchema.safeParse({ email: '', password: '' })))).toEqual([
      'email',
      'password',
    ]);
  });
});

describe('profile validation', () => {
  const valid = { name: 'Ada', avatar_url: '', timezone: 'Europe/London' };

  it('allows an empty avatar URL or an http(s) one', () => {
    expect(profileSchema.safeParse(valid).success).toBe(true);
    expect(profileSchema.safeParse({ ...valid, avatar_url: 'https://example.com/a.png' }).success).toBe(true);
    expect(
      fieldErrors(profileSchema.safeParse({ ...valid, avatar_url: 'javascript:alert(1)' })),
    ).toHaveProperty('avatar_url');
  });
});

describe('password change validation', () => {
  const valid = { current_password: 'old', new_password: '0123456789', confirm_password: '0123456789' };

  it('accepts matching new passwords of 10 characters or more', () => {
    expect(passwordChangeSchema.safeParse(valid).success).toBe(true);
  });

  it('reports a confirmation that does not match under the confirmation field', () => {
    expect(fieldErrors(passwordChangeSchema.safeParse({ ...valid, confirm_password: '0123456780' }))).toEqual(
      {
        confirm_password: ['The passwords do not match.'],
      },
    );
  });

  it('needs the current password and a long enough new one', () => {
    const errors = fieldErrors(
      passwordChangeSchema.safeParse({
        current_password: '',
        new_password: 'short',
        confirm_password: 'short',
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(['current_password', 'new_password']);
  });
});
