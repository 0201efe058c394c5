// Form validation that mirrors the server's rules (docs/api.md), so most mistakes are caught before sending.
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 10;

const email = z.string().trim().min(1, 'Enter your email address.').email('Enter a valid email address.');
const newPassword = z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
const name = z.string().trim().min(1, 'Enter your name.');

export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password.'),
});

export const signUpSchema = z.object({ name, email, password: newPassword });

export const profileSchema = z.object({
  name,
  avatar_url: z
    .string()
    .trim()
    .refine(
      (value) => value === '' || /^https?:\/\/\S+$/i.test(value),
      'Enter a URL starting with http:// or https://.',
    ),
  timezone: z.string().min(1, 'Choose a time zone.'),
});

export const passwordChangeSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password.'),
    new_password: newPassword,
    confirm_password: z.string().min(1, 'Repeat the new password.'),
  })
  .refine((values) => values.new_password === values.confirm_password, {
    path: ['confirm_password'],
    message: 'The passwords do not match.',
  });

export type SignInValues = z.infer<typeof signInSchema>;
export type SignUpValues = z.infer<typeof signUpSchema>;
export type ProfileValues = z.infer<typeof profileSchema>;
export type PasswordChangeValues = z.infer<typeof passwordChangeSchema>;
