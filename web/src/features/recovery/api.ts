// Account recovery through the one API client (docs/api.md, "Accounts"): password reset by a mailed
// link, proving the email address, and changing it.
import { remember, request, type Session } from '@/lib/api';

/** What a reset link is for (GET /api/auth/password-reset). */
export interface PasswordResetLink {
  email: string;
  /** The account signs in with a second factor: completing the reset needs a code. */
  two_factor_required: boolean;
  expires_at: string;
}

export interface PasswordResetInput {
  token: string;
  new_password: string;
  /** A code from the authenticator app or a recovery code; only when two_factor_required. */
  code?: string;
}

export interface EmailVerified {
  email: string;
  email_verified: true;
}

/** The server's words after accepting a request whose outcome arrives by mail. */
export interface MailSent {
  message: string;
}

export const recoveryApi = {
  /** 202 whether or not an account uses the address; 429 with Retry-After when asked too often. */
  requestPasswordReset: (email: string) => request<MailSent>('POST', '/api/auth/password-reset', { email }),
  /** 400 reset_link_invalid for an unknown, used or expired link. */
  checkPasswordReset: (token: string) =>
    request<PasswordResetLink>('GET', `/api/auth/password-reset?token=${encodeURIComponent(token)}`),
  /** Signs this browser in and every other session out. */
  completePasswordReset: (input: PasswordResetInput) =>
    remember(request<Session>('POST', '/api/auth/password-reset/complete', input)),
  /** 400 verification_link_invalid for an unknown, used or expired link. */
  verifyEmail: (token: string) => request<EmailVerified>('POST', '/api/auth/verify-email', { token }),
  /** 409 already_verified; 429 when asked too often. */
  resendVerification: () => request<MailSent>('POST', '/api/auth/verify-email/resend'),
  /** The session with the new, unverified address; asks for the password again when it is not recent. */
  changeEmail: (email: string) => remember(request<Session>('POST', '/api/auth/email', { email })),
};

/** The error code of the routes that wait for a verified address. */
export const EMAIL_UNVERIFIED = 'email_unverified';
