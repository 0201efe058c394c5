import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch, session } from '@/test/utils';

// api.ts keeps the CSRF token of the current session in module state: load fresh copies per test.
let api: typeof import('@/lib/api').api;
let twoFactorApi: typeof import('@/features/two-factor/api').twoFactorApi;

beforeEach(async () => {
  vi.resetModules();
  ({ api } = await import('@/lib/api'));
  ({ twoFactorApi } = await import('@/features/two-factor/api'));
});

const challenge = { two_factor_required: true, challenge: 'chl-1', expires_at: '2026-12-04T18:05:00Z' };

describe('two-factor sign-in through the API client', () => {
  it('answers the challenge of a right password without taking a session, then the session of the code', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/signin': () => jsonResponse(200, challenge),
      'POST /api/auth/signin/two-factor': () => jsonResponse(200, { ...session, csrf_token: 'from-code' }),
      'POST /api/auth/two-factor/disable': () => jsonResponse(204),
    });

    expect(await api.auth.signIn({ email: 'ada@example.com', password: 'x'.repeat(10) })).toEqual(challenge);
    expect(await twoFactorApi.completeSignIn('chl-1', '123456')).toMatchObject({ csrf_token: 'from-code' });
    await twoFactorApi.disable();

    const headers = (call: number) => fetchMock.mock.calls[call][1]?.headers as Record<string, string>;
    expect(headers(1)['X-CSRF-Token']).toBeUndefined();
    expect(fetchMock.mock.calls[1][1]?.body).toBe(
      '{"challenge":"chl-1","code":"123456","remember_device":false}',
    );
    expect(headers(2)['X-CSRF-Token']).toBe('from-code');
  });
});
