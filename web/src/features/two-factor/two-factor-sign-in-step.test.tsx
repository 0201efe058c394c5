import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SignInForm } from '@/features/auth/auth-forms';
import { DEAD_CHALLENGE_MESSAGE, TwoFactorSignInStep } from '@/features/two-factor/two-factor-sign-in-step';
import type { TwoFactorChallenge } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const challenge: TwoFactorChallenge = {
  two_factor_required: true,
  challenge: 'chl-123',
  expires_at: '2026-12-04T18:05:00Z',
};

function bodyOf(fetchMock: ReturnType<typeof mockFetch>, call: string) {
  const found = fetchMock.mock.calls.find(([url, init]) => `${init?.method} ${String(url)}` === call);
  return found ? JSON.parse(String(found[1]?.body)) : undefined;
}

describe('the code step of sign-in', () => {
  it('is a one-time-code field with a numeric keyboard, and sends the challenge with the code', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/signin/two-factor': () => jsonResponse(200, session),
    });
    const onSignedIn = vi.fn();
    renderWithProviders(
      <TwoFactorSignInStep challenge={challenge} onSignedIn={onSignedIn} onRestart={vi.fn()} />,
    );

    const field = screen.getByLabelText('Authentication code');
    expect(field).toHaveAttribute('autocomplete', 'one-time-code');
    expect(field).toHaveAttribute('inputmode', 'numeric');
    await userEvent.type(field, '123 456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
    expect(bodyOf(fetchMock, 'POST /api/auth/signin/two-factor')).toEqual({
      challenge: 'chl-123',
      code: '123456',
      remember_device: false,
    });
  });

  it('asks the server to remember this browser when the person ticks the box', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/signin/two-factor': () => jsonResponse(200, session),
    });
    const onSignedIn = vi.fn();
    renderWithProviders(
      <TwoFactorSignInStep challenge={challenge} onSignedIn={onSignedIn} onRestart={vi.fn()} />,
    );

    const box = screen.getByLabelText(/Remember this browser for 30 days/);
    expect(box).not.toBeChecked();
    await userEvent.click(box);
    // Switching to a recovery code keeps the choice.
    await userEvent.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    expect(screen.getByLabelText(/Remember this browser for 30 days/)).toBeChecked();
    await userEvent.type(screen.getByLabelText('Recovery code'), 'abcde-12345');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
    expect(bodyOf(fetchMock, 'POST /api/auth/signin/two-factor')).toMatchObject({
      challenge: 'chl-123',
      remember_device: true,
    });
  });

  it('checks the code has 6 digits before sending', async () => {
    const fetchMock = mockFetch({});
    renderWithProviders(
      <TwoFactorSignInStep challenge={challenge} onSignedIn={vi.fn()} onRestart={vi.fn()} />,
    );

    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByText('Enter the 6-digit code from your app.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Authentication code'), '12345');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByText('The code has 6 digits.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the server's reason for a wrong code beside the field", async () => {
    mockFetch({
      'POST /api/auth/signin/two-factor': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { code: 'That code is not right.' } },
          },
        }),
    });
    renderWithProviders(
      <TwoFactorSignInStep challenge={challenge} onSignedIn={vi.fn()} onRestart={vi.fn()} />,
    );

    await userEvent.type(screen.getByLabelText('Authentication code'), '000000');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    const field = screen.getByLabelText('Authentication code');
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(field).toHaveAccessibleDescription('That code is not right.');
  });

  it('accepts a recovery code in any case and with spaces', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/signin/two-factor': () => jsonResponse(200, session),
    });
    renderWithProviders(
      <TwoFactorSignInStep challenge={challenge} onSignedIn={vi.fn()} onRestart={vi.fn()} />,
    );

    await userEvent.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    const field = screen.getByLabelText('Recovery code');
    expect(field).toHaveAttribute('inputmode', 'text');
    await userEvent.type(field, 'ABCDE 12345');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    await waitFor(() =>
      expect(bodyOf(fetchMock, 'POST /api/auth/signin/two-factor')).toEqual({
        challenge: 'chl-123',
        code: 'abcde-12345',
        remember_device: false,
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Use the code from your app' }));
    expect(screen.getByLabelText('Authentication code')).toBeInTheDocument();
  });

  it('says how long to wait when throttled', async () => {
    mockFetch({
      'POST /api/auth/signin/two-factor': () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many sign-in attempts.' } },
          { 'Retry-After': '120' },
        ),
    });
    renderWithProviders(
      <TwoFactorSignInStep challenge={challenge} onSignedIn={vi.fn()} onRestart={vi.fn()} />,
    );

    await userEvent.type(screen.getByLabelText('Authentication code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    expect(
      await screen.findByText(/Too many sign-in attempts\. Try again in 2 minutes\./),
    ).toBeInTheDocument();
  });
});

describe('signing in to an account with two-factor on', () => {
  const wrongChallenge = () =>
    jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in again.' } });

  it('asks for the code after the password, and goes back to the password with the reason on a dead challenge', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/signin': () => jsonResponse(200, challenge),
      'POST /api/auth/signin/two-factor': wrongChallenge,
    });
    const onSignedIn = vi.fn();
    renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const code = await screen.findByLabelText('Authentication code');
    expect(screen.getByRole('heading', { name: 'Two-factor sign-in' })).toBeInTheDocument();
    expect(onSignedIn).not.toHaveBeenCalled();

    await userEvent.type(code, '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    expect(await screen.findByText(DEAD_CHALLENGE_MESSAGE)).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.com');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('signs in at once when the account has no second factor', async () => {
    mockFetch({ 'POST /api/auth/signin': () => jsonResponse(200, session) });
    const onSignedIn = vi.fn();
    renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
  });
});
