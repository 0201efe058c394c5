import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ReauthenticationDialog } from '@/features/auth/reauthentication-dialog';
import { useSession } from '@/features/auth/session';
import { api, isApiError } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

// Loads the session into the cache, as the app shell does.
function SessionProbe() {
  const loaded = useSession();
  return loaded.data ? <p>signed in</p> : null;
}

const needsProof = () =>
  jsonResponse(403, {
    error: { code: 'reauthentication_required', message: 'Enter your password again to continue.' },
  });

describe('ReauthenticationDialog', () => {
  it('asks for the password on reauthentication_required, then retries the request', async () => {
    let passwordCalls = 0;
    const fetchMock = mockFetch({
      'POST /api/auth/password': () =>
        ++passwordCalls === 1 ? needsProof() : new Response(null, { status: 204 }),
      'POST /api/auth/reauthenticate': (init) =>
        JSON.parse(String(init.body)).password === 'the right one'
          ? new Response(null, { status: 204 })
          : jsonResponse(422, {
              error: {
                code: 'validation_failed',
                message: 'Check the highlighted fields.',
                details: { fields: { password: 'This is not your password.' } },
              },
            }),
    });
    renderWithProviders(<ReauthenticationDialog />);

    const change = api.auth.changePassword({
      current_password: 'old password',
      new_password: 'new password!',
    });
    const field = await screen.findByLabelText('Password');
    expect(screen.getByRole('heading', { name: 'Confirm it’s you' })).toBeInTheDocument();

    await userEvent.type(field, 'a wrong one');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText('This is not your password.')).toBeInTheDocument();

    await userEvent.clear(field);
    await userEvent.type(field, 'the right one');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await expect(change).resolves.toBeUndefined();
    expect(passwordCalls).toBe(2);
    const paths = fetchMock.mock.calls.map(([path, init]) => `${init?.method} ${String(path)}`);
    expect(paths).toEqual([
      'POST /api/auth/password',
      'POST /api/auth/reauthenticate',
      'POST /api/auth/reauthenticate',
      'POST /api/auth/password',
    ]);
    await waitFor(() => expect(screen.queryByLabelText('Password')).not.toBeInTheDocument());
  });

  it('gives the original error back when the person cancels', async () => {
    mockFetch({ 'POST /api/auth/password': needsProof });
    renderWithProviders(<ReauthenticationDialog />);

    const outcome = api.auth
      .changePassword({ current_password: 'old password', new_password: 'new password!' })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    await screen.findByLabelText('Password');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const error = await outcome;
    expect(isApiError(error, 403) && error.code).toBe('reauthentication_required');
  });

  it('takes a code from the authenticator app instead of the password when two-factor is on', async () => {
    let calls = 0;
    const fetchMock = mockFetch({
      'GET /api/auth/session': () =>
        jsonResponse(200, { ...session, user: { ...session.user, two_factor_enabled: true } }),
      'POST /api/auth/password': () => (++calls === 1 ? needsProof() : new Response(null, { status: 204 })),
      'POST /api/auth/reauthenticate': () => new Response(null, { status: 204 }),
    });
    renderWithProviders(
      <>
        <SessionProbe />
        <ReauthenticationDialog />
      </>,
    );
    await screen.findByText('signed in');

    const change = api.auth.changePassword({
      current_password: 'old password',
      new_password: 'new password!',
    });
    await screen.findByLabelText('Password');
    await userEvent.click(
      screen.getByRole('button', { name: 'Use a code from your authenticator app instead' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText('Enter the code from your authenticator app.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Authentication code'), '123 456');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await expect(change).resolves.toBeUndefined();
    const proof = fetchMock.mock.calls.find(([path]) => String(path) === '/api/auth/reauthenticate');
    expect(JSON.parse(String(proof?.[1]?.body))).toEqual({ code: '123456' });
  });

  it('offers only the password when two-factor is off', async () => {
    mockFetch({ 'POST /api/auth/password': needsProof });
    renderWithProviders(<ReauthenticationDialog />);
    void api.auth
      .changePassword({ current_password: 'old password', new_password: 'new password!' })
      .catch(() => undefined);
    await screen.findByLabelText('Password');
    expect(screen.queryByRole('button', { name: /authenticator app/ })).not.toBeInTheDocument();
  });
});
