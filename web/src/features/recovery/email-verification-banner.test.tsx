import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useSession } from '@/features/auth/session';
import { EmailVerificationBanner } from '@/features/recovery/email-verification-banner';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const RESEND = 'POST /api/auth/verify-email/resend';
const unverified = { ...session, user: { ...session.user, email_verified: false } };

function Banner() {
  // The banner lives behind sign-in: load the session first, as RequireAuth does.
  return useSession().data ? <EmailVerificationBanner /> : <p>no session</p>;
}

describe('EmailVerificationBanner', () => {
  it('is not shown for a verified address, nor by servers that do not say', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, session) });
    renderWithProviders(<Banner />);
    await waitFor(() => expect(screen.queryByText('no session')).not.toBeInTheDocument());
    expect(screen.queryByRole('region', { name: 'Email address not verified' })).not.toBeInTheDocument();
  });

  it('names the address and sends the link again', async () => {
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, unverified),
      [RESEND]: () => jsonResponse(202, { message: 'We sent a new link to ada@example.com.' }),
    });
    renderWithProviders(<Banner />);
    const banner = await screen.findByRole('region', { name: 'Email address not verified' });
    expect(banner).toHaveTextContent(
      'Verify your email address to invite teammates, connect platforms and create API keys. We sent a link to ada@example.com.',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Send again' }));
    expect(await screen.findByText('We sent a new link to ada@example.com.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sent' })).toBeDisabled();
    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/auth/verify-email/resend')).toHaveLength(1);
  });

  it('says how long to wait when asked too often', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, unverified),
      [RESEND]: () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many links sent.' } },
          { 'Retry-After': '300' },
        ),
    });
    renderWithProviders(<Banner />);
    await userEvent.click(await screen.findByRole('button', { name: 'Send again' }));
    expect(await screen.findByText('Too many links sent. Try again in 5 minutes.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send again' })).toBeEnabled();
  });

  it('goes away when the server says the address is already verified', async () => {
    let sessionNow = unverified;
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, sessionNow),
      [RESEND]: () => {
        sessionNow = { ...session, user: { ...session.user, email_verified: true } };
        return jsonResponse(409, { error: { code: 'already_verified', message: 'Already verified.' } });
      },
    });
    renderWithProviders(<Banner />);
    await userEvent.click(await screen.findByRole('button', { name: 'Send again' }));
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Email address not verified' })).not.toBeInTheDocument(),
    );
  });
});
