// Two-factor sign-in (TOTP, RFC 6238) through the one API client: the second step of sign-in, the
// account's set-up, recovery codes, and a platform admin's reset (docs/api.md, "Accounts").
import { remember, request, type Session } from '@/lib/api';

export interface TwoFactorStatus {
  enabled: boolean;
  /** RFC 3339, null while off. */
  enabled_at: string | null;
  recovery_codes_left: number;
}

/** A secret waiting for its first code; shown this once. */
export interface TwoFactorSetup {
  /** Base32, for typing into the app by hand. */
  secret: string;
  /** otpauth://totp/…, drawn as the QR code. */
  otpauth_uri: string;
}

export interface RecoveryCodes {
  /** Ten codes such as "abcde-12345", each good once; shown this once. */
  recovery_codes: string[];
}

export const twoFactorApi = {
  /** The second step of sign-in: the challenge from POST /api/auth/signin and a TOTP or recovery code. */
  /** rememberDevice: this browser skips the second step for 30 days (until two-factor is turned off or reset). */
  completeSignIn: (challenge: string, code: string, rememberDevice = false) =>
    remember(
      request<Session>('POST', '/api/auth/signin/two-factor', {
        challenge,
        code,
        remember_device: rememberDevice,
      }),
    ),
  status: () => request<TwoFactorStatus>('GET', '/api/auth/two-factor'),
  /** 409 when already on; replaces a set-up that was not finished. */
  setup: () => request<TwoFactorSetup>('POST', '/api/auth/two-factor/setup'),
  /** 422 (fields.code) for a wrong code; 409 when no set-up was started. */
  enable: (code: string) => request<RecoveryCodes>('POST', '/api/auth/two-factor/enable', { code }),
  disable: () => request<void>('POST', '/api/auth/two-factor/disable'),
  /** A new set; the old codes stop working. */
  regenerateRecoveryCodes: () => request<RecoveryCodes>('POST', '/api/auth/two-factor/recovery-codes'),
  /** Platform admins: turns another user's second factor off (409 when they have none). */
  resetForUser: (userId: string) =>
    request<void>('POST', `/api/admin/users/${encodeURIComponent(userId)}/two-factor/reset`),
};
