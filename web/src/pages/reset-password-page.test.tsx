import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { toast } from 'sonner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PASSWORD_RESET_NOTICE,
  PASSWORD_RESET_NOTICE_DETAIL,
  ResetPasswordPage,
} from '@/pages/reset-password-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const TOKEN = 'rst_abc';
const CHECK = `GET /api/auth/password-reset?token=${TOKEN}`;
const COMPLETE = 'POST /api/auth/password-reset/complete';
const link = { email: 'ada@example.com', two_factor_required: false, expires_at: '2099-01-01T00:00:00Z' };
const invalid = () =>
  jsonResponse(400, {
    error: {
      code: 'reset_link_invalid',
      message: 'This link has expired or was already used. Ask for a new one.',
    },
  });

function Location() {
  return <p data-testid="location">{useLocation().pathname}</p>;
}

function renderReset(route = `/reset-password?token=${TOKEN}`) {
  return renderWithProviders(
    <Routes>
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/" element={<Location />} />
    </Routes>,
    { route },
  );
}

function bodyOf(fetchMock: ReturnType<typeof mockFetch>, call: string) {
  const found = fetchMock.mock.calls.find(([url, init]) => `${init?.method} ${String(url)}` === call);
  return found ? JSON.parse(String(found[1]?.body)) : undefined;
}

async function typePasswords(password = 'a brand new password', confirm = password) {
  await userEvent.type(await screen.findByLabelText('New password'), password);
  await userEvent.type(screen.getByLabelText('Confirm new password'), confirm);
}

afterEach(() => vi.clearAllMocks());

describe('ResetPasswordPage', () => {
  it('shows a skeleton while the link is checked', () => {
    mockFetch({ [CHECK]: () => new Promise<Response>(() => {}) as unknown as Response });
    renderReset();
    expect(screen.getByLabelText('Checking the link')).toBeInTheDocument();
  });

  it('says plainly when the link no longer works, with a way to ask for a new one', async () => {
    mockFetch({ [CHECK]: invalid });
    renderReset();
    expect(await screen.findByRole('heading', { name: 'This link no longer works' })).toBeInTheDocument();
    expect(
      screen.getByText('This link has expired or was already used. Ask for a new one.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute(
      'href',
      '/forgot-password',
    );
  });

  it('treats a link without a token as not working, without asking the server', () => {
    const fetchMock = mockFetch({});
    renderReset('/reset-password');
    expect(screen.getByRole('heading', { name: 'This link no longer works' })).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('offers to try again when the server cannot be reached', async () => {
    mockFetch({ [CHECK]: () => jsonResponse(404, { error: { code: 'not_found', message: 'Not found.' } }) });
    renderReset();
    expect(await screen.findByText('Could not check this link')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('checks the new password before sending: 10 characters, typed twice the same', async () => {
    const fetchMock = mockFetch({ [CHECK]: () => jsonResponse(200, link) });
    renderReset();
    expect(await screen.findByText('ada@example.com')).toBeInTheDocument();
    expect(screen.queryByLabelText('Authentication code')).not.toBeInTheDocument();

    await typePasswords('short', 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    expect(await screen.findByText('Use at least 10 characters.')).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('New password'));
    await userEvent.type(screen.getByLabelText('New password'), 'a brand new password');
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    expect(await screen.findByText('The passwords do not match.')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('signs in, goes to the dashboard and says every other session was signed out', async () => {
    const fetchMock = mockFetch({
      [CHECK]: () => jsonResponse(200, link),
      [COMPLETE]: () => jsonResponse(200, session),
    });
    renderReset();
    await typePasswords();
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));

    expect(await screen.findByTestId('location')).toHaveTextContent('/');
    expect(bodyOf(fetchMock, COMPLETE)).toEqual({ token: TOKEN, new_password: 'a brand new password' });
    expect(toast.success).toHaveBeenCalledWith(PASSWORD_RESET_NOTICE, {
      description: PASSWORD_RESET_NOTICE_DETAIL,
    });
  });

  it('asks for the authenticator code of a two-factor account, and accepts a recovery code', async () => {
    const fetchMock = mockFetch({
      [CHECK]: () => jsonResponse(200, { ...link, two_factor_required: true }),
      [COMPLETE]: () => jsonResponse(200, session),
    });
    renderReset();
    await typePasswords();
    const code = screen.getByLabelText('Authentication code');
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    expect(
      await screen.findByText('Enter the code from your authenticator app or a recovery code.'),
    ).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);

    await userEvent.type(code, 'ABCDE 12345');
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    expect(await screen.findByTestId('location')).toHaveTextContent('/');
    expect(bodyOf(fetchMock, COMPLETE)).toEqual({
      token: TOKEN,
      new_password: 'a brand new password',
      code: 'abcde-12345',
    });
  });

  it("shows the server's field errors on the fields", async () => {
    mockFetch({
      [CHECK]: () => jsonResponse(200, { ...link, two_factor_required: true }),
      [COMPLETE]: () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Check the highlighted fields.',
            details: {
              fields: { new_password: 'This password is too common.', code: 'That code is not right.' },
            },
          },
        }),
    });
    renderReset();
    await typePasswords();
    await userEvent.type(screen.getByLabelText('Authentication code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Authentication code')).toHaveAccessibleDescription(
        'That code is not right.',
      ),
    );
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('This password is too common.');
  });

  it('shows the code field when the server asks for one the link did not announce', async () => {
    mockFetch({
      [CHECK]: () => jsonResponse(200, link),
      [COMPLETE]: () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Check the highlighted fields.',
            details: { fields: { code: 'Enter the code from your authenticator app or a recovery code.' } },
          },
        }),
    });
    renderReset();
    await typePasswords();
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    const code = await screen.findByLabelText('Authentication code');
    await waitFor(() =>
      expect(code).toHaveAccessibleDescription(
        'Enter the code from your authenticator app or a recovery code.',
      ),
    );
  });

  it('says when to try again after too many wrong codes', async () => {
    mockFetch({
      [CHECK]: () => jsonResponse(200, { ...link, two_factor_required: true }),
      [COMPLETE]: () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many wrong codes.' } },
          { 'Retry-After': '90' },
        ),
    });
    renderReset();
    await typePasswords();
    await userEvent.type(screen.getByLabelText('Authentication code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    expect(await screen.findByText(/Too many wrong codes\. Try again in 2 minutes\./)).toBeInTheDocument();
  });

  it('says the link no longer works when it was used meanwhile', async () => {
    mockFetch({ [CHECK]: () => jsonResponse(200, link), [COMPLETE]: invalid });
    renderReset();
    await typePasswords();
    await userEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    expect(await screen.findByRole('heading', { name: 'This link no longer works' })).toBeInTheDocument();
  });
});
