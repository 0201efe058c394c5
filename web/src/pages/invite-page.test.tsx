import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { InvitePage } from '@/pages/invite-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const TOKEN = 'tok_123';
const PREVIEW = `GET /api/invites/preview?token=${TOKEN}`;
const preview = {
  organization: { id: 'org_shared', name: 'Analytical Engines' },
  email: 'grace@example.com',
  role: 'member',
  invited_by: 'Ada Lovelace',
  expires_at: '2099-01-01T00:00:00Z',
};
const signedOut = () => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
const grace = {
  ...session,
  user: { ...session.user, id: 'usr_grace', email: 'grace@example.com', name: 'Grace Hopper' },
};
const joined = {
  ...grace,
  organization: { ...preview.organization, created_at: '2026-11-25T19:40:00Z' },
  role: 'member',
};

function Dashboard() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname}</p>;
}

function renderInvite() {
  return renderWithProviders(
    <Routes>
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route path="/" element={<Dashboard />} />
      <Route path="/auth" element={<Dashboard />} />
    </Routes>,
    { route: `/invite/${TOKEN}` },
  );
}

describe('InvitePage', () => {
  it('shows a skeleton while the invitation loads', () => {
    mockFetch({ [PREVIEW]: () => new Promise<Response>(() => {}) as unknown as Response });
    renderInvite();
    expect(screen.getByLabelText('Loading the invitation')).toBeInTheDocument();
  });

  it('says plainly when the link is unknown, expired, revoked or used', async () => {
    mockFetch({
      'GET /api/auth/session': signedOut,
      [PREVIEW]: () =>
        jsonResponse(404, { error: { code: 'invite_invalid', message: 'This invitation is not valid.' } }),
    });

    renderInvite();

    expect(
      await screen.findByRole('heading', { name: 'This invitation link no longer works' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/auth');
  });

  it('lets a signed-out visitor sign up with the invited address, joining only the inviting organization', async () => {
    // The server answers the sign-up with the session already in the inviting organization.
    const fetchMock = mockFetch({
      'GET /api/auth/session': signedOut,
      [PREVIEW]: () => jsonResponse(200, preview),
      'POST /api/auth/signup': () => jsonResponse(201, joined),
    });

    renderInvite();

    expect(await screen.findByRole('heading', { name: 'Join Analytical Engines' })).toBeInTheDocument();
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Sign up to join' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'I already have an account' })).toBeInTheDocument();
    const email = screen.getByLabelText('Work email');
    expect(email).toHaveValue('grace@example.com');
    expect(email).toHaveAttribute('readonly');

    await userEvent.type(screen.getByLabelText('Name'), 'Grace Hopper');
    await userEvent.type(screen.getByLabelText('Password'), 'compilers are fun');
    await userEvent.click(screen.getByRole('button', { name: 'Create account and join' }));

    expect(await screen.findByTestId('location')).toHaveTextContent('/');
    const calls = fetchMock.mock.calls.map(([path, init]) => `${init?.method ?? 'GET'} ${String(path)}`);
    expect(calls).toContain('POST /api/auth/signup');
    expect(calls).not.toContain('POST /api/invites/accept');
    // The invitation proves the address: the account starts verified.
    const signUp = fetchMock.mock.calls.find(([path]) => String(path) === '/api/auth/signup')!;
    expect(JSON.parse(String(signUp[1]?.body))).toEqual({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      password: 'compilers are fun',
      invite_token: TOKEN,
    });
  });

  it('offers sign-in with the invited address pre-filled for someone who has an account', async () => {
    mockFetch({ 'GET /api/auth/session': signedOut, [PREVIEW]: () => jsonResponse(200, preview) });

    renderInvite();
    await userEvent.click(await screen.findByRole('tab', { name: 'I already have an account' }));

    expect(screen.getByLabelText('Email')).toHaveValue('grace@example.com');
    expect(screen.getByRole('button', { name: 'Sign in and join' })).toBeInTheDocument();
  });

  it('gives the invited user, signed in, an Accept button', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, grace),
      [PREVIEW]: () => jsonResponse(200, preview),
      'POST /api/invites/accept': () => jsonResponse(200, joined),
    });

    renderInvite();
    await userEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/'));
  });

  it('explains the mismatch to someone signed in with another address and offers to sign out', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      [PREVIEW]: () => jsonResponse(200, preview),
    });

    renderInvite();

    expect(await screen.findByText(/but this invitation is for/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Accept invitation' })).not.toBeInTheDocument();
  });
});
