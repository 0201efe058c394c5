import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { VerifyEmailPage } from '@/pages/verify-email-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const TOKEN = 'vrf_abc';
const VERIFY = 'POST /api/auth/verify-email';
const signedOut = () => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
const verified = () => jsonResponse(200, { email: 'ada@example.com', email_verified: true });

function calls(fetchMock: ReturnType<typeof mockFetch>, call: string) {
  return fetchMock.mock.calls.filter(([url, init]) => `${init?.method ?? 'GET'} ${String(url)}` === call);
}

describe('VerifyEmailPage', () => {
  it('shows progress while the link is checked', async () => {
    mockFetch({
      'GET /api/auth/session': signedOut,
      [VERIFY]: () => new Promise<Response>(() => {}) as unknown as Response,
    });
    renderWithProviders(<VerifyEmailPage />, { route: `/verify-email?token=${TOKEN}` });
    expect(screen.getByRole('heading', { name: 'Verifying your email address…' })).toBeInTheDocument();
  });

  it('sends the token once and says the address is verified; a visitor continues to sign in', async () => {
    const fetchMock = mockFetch({ 'GET /api/auth/session': signedOut, [VERIFY]: verified });
    renderWithProviders(<VerifyEmailPage />, { route: `/verify-email?token=${TOKEN}` });

    expect(
      await screen.findByRole('heading', { name: 'Your email address is verified' }),
    ).toBeInTheDocument();
    expect(screen.getByText('ada@example.com')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Continue to sign in' })).toHaveAttribute('href', '/auth');
    expect(calls(fetchMock, VERIFY)).toHaveLength(1);
    expect(JSON.parse(String(calls(fetchMock, VERIFY)[0][1]?.body))).toEqual({ token: TOKEN });
  });

  it('refreshes the session of a signed-in user before offering to continue', async () => {
    let verifiedYet = false;
    const fetchMock = mockFetch({
      'GET /api/auth/session': () =>
        jsonResponse(200, { ...session, user: { ...session.user, email_verified: verifiedYet } }),
      [VERIFY]: () => {
        verifiedYet = true;
        return verified();
      },
    });
    renderWithProviders(<VerifyEmailPage />, { route: `/verify-email?token=${TOKEN}` });

    expect(await screen.findByRole('link', { name: 'Continue to Switchboard' })).toHaveAttribute('href', '/');
    expect(calls(fetchMock, 'GET /api/auth/session')).toHaveLength(2);
    expect(calls(fetchMock, VERIFY)).toHaveLength(1);
  });

  it('says when the link no longer works, and how to get a new one', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      [VERIFY]: () =>
        jsonResponse(400, {
          error: { code: 'verification_link_invalid', message: 'This link has expired or was already used.' },
        }),
    });
    renderWithProviders(<VerifyEmailPage />, { route: `/verify-email?token=${TOKEN}` });

    expect(await screen.findByRole('heading', { name: 'This link no longer works' })).toBeInTheDocument();
    expect(screen.getByText('This link has expired or was already used.')).toBeInTheDocument();
    expect(screen.getByText(/Send again/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Switchboard' })).toHaveAttribute('href', '/');
  });

  it('does not ask the server about a link without a token', async () => {
    const fetchMock = mockFetch({ 'GET /api/auth/session': signedOut });
    renderWithProviders(<VerifyEmailPage />, { route: '/verify-email' });
    expect(screen.getByRole('heading', { name: 'This link no longer works' })).toBeInTheDocument();
    await waitFor(() => expect(calls(fetchMock, 'GET /api/auth/session')).toHaveLength(1));
    expect(calls(fetchMock, VERIFY)).toHaveLength(0);
  });

  it('offers to try again when the server fails', async () => {
    let attempts = 0;
    mockFetch({
      'GET /api/auth/session': signedOut,
      [VERIFY]: () =>
        ++attempts === 1
          ? jsonResponse(503, { error: { code: 'unavailable', message: 'Try again shortly.' } })
          : verified(),
    });
    renderWithProviders(<VerifyEmailPage />, { route: `/verify-email?token=${TOKEN}` });
    expect(await screen.findByText('Could not verify your email address')).toBeInTheDocument();
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(
      await screen.findByRole('heading', { name: 'Your email address is verified' }),
    ).toBeInTheDocument();
  });
});
