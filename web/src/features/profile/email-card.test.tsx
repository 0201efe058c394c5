import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ReauthenticationDialog } from '@/features/auth/reauthentication-dialog';
import { useSession } from '@/features/auth/session';
import { EmailCard } from '@/features/profile/email-card';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const CHANGE = 'POST /api/auth/email';
const verified = { ...session, user: { ...session.user, email_verified: true } };
const changed = {
  ...session,
  user: { ...session.user, email: 'ada@lovelace.example', email_verified: false },
};

function Card() {
  // The card lives behind sign-in, next to the app's reauthentication dialog.
  return useSession().data ? (
    <>
      <EmailCard />
      <ReauthenticationDialog />
    </>
  ) : null;
}

function bodies(fetchMock: ReturnType<typeof mockFetch>, call: string) {
  return fetchMock.mock.calls
    .filter(([url, init]) => `${init?.method ?? 'GET'} ${String(url)}` === call)
    .map(([, init]) => JSON.parse(String(init?.body)));
}

describe('EmailCard', () => {
  it('shows the address and whether it is verified', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, verified) });
    renderWithProviders(<Card />);
    expect(await screen.findByText('Verified')).toBeInTheDocument();
    expect(screen.getByText('ada@example.com')).toBeInTheDocument();
  });

  it('checks the new address before sending', async () => {
    const fetchMock = mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, verified) });
    renderWithProviders(<Card />);
    await userEvent.click(await screen.findByRole('button', { name: 'Change email' }));
    expect(await screen.findByText('Enter your email address.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('New email address'), 'ada@');
    await userEvent.click(screen.getByRole('button', { name: 'Change email' }));
    expect(await screen.findByText('Enter a valid email address.')).toBeInTheDocument();
    expect(bodies(fetchMock, CHANGE)).toHaveLength(0);
  });

  it('asks for the password again when the server wants it, then changes the address', async () => {
    let attempts = 0;
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, verified),
      [CHANGE]: () =>
        ++attempts === 1
          ? jsonResponse(403, {
              error: { code: 'reauthentication_required', message: 'Enter your password again to continue.' },
            })
          : jsonResponse(200, changed),
      'POST /api/auth/reauthenticate': () => new Response(null, { status: 204 }),
    });
    renderWithProviders(<Card />);
    await userEvent.type(await screen.findByLabelText('New email address'), 'ada@lovelace.example');
    await userEvent.click(screen.getByRole('button', { name: 'Change email' }));

    await userEvent.type(await screen.findByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));

    expect(await screen.findByText(/We sent a verification link to/)).toHaveTextContent(
      'We sent a verification link to ada@lovelace.example.',
    );
    expect(screen.getByText('Not verified')).toBeInTheDocument();
    expect(screen.getByLabelText('New email address')).toHaveValue('');
    expect(bodies(fetchMock, CHANGE)).toEqual([
      { email: 'ada@lovelace.example' },
      { email: 'ada@lovelace.example' },
    ]);
  });

  it("puts the server's reason under the field", async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, verified),
      [CHANGE]: () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Check the highlighted fields.',
            details: { fields: { email: 'Another account uses this address.' } },
          },
        }),
    });
    renderWithProviders(<Card />);
    await userEvent.type(await screen.findByLabelText('New email address'), 'grace@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Change email' }));
    await waitFor(() =>
      expect(screen.getByLabelText('New email address')).toHaveAccessibleDescription(
        'Another account uses this address.',
      ),
    );
  });

  it('says why when the password was not confirmed', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, verified),
      [CHANGE]: () =>
        jsonResponse(403, {
          error: { code: 'reauthentication_required', message: 'Enter your password again to continue.' },
        }),
    });
    renderWithProviders(<Card />);
    await userEvent.type(await screen.findByLabelText('New email address'), 'ada@lovelace.example');
    await userEvent.click(screen.getByRole('button', { name: 'Change email' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter your password again to continue.');
  });
});
