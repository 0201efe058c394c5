import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SignInForm } from '@/features/auth/auth-forms';
import { ForgotPasswordPage } from '@/pages/forgot-password-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const SENT =
  'If an account uses that address, we sent it a link to choose a new password. The link works once, for 30 minutes.';

describe('ForgotPasswordPage', () => {
  it('checks the address before sending', async () => {
    const fetchMock = mockFetch({});
    renderWithProviders(<ForgotPasswordPage />, { route: '/forgot-password' });

    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText('Enter your email address.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Email'), 'ada');
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText('Enter a valid email address.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("sends the address typed on the sign-in page and shows the server's answer", async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/password-reset': () => jsonResponse(202, { message: SENT }),
    });
    renderWithProviders(<ForgotPasswordPage />, { route: '/forgot-password?email=ada%40example.com' });

    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeInTheDocument();
    expect(screen.getByText(SENT)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to sign in' })).toHaveAttribute('href', '/auth');
    expect(JSON.parse(String(fetchMock.mock.calls[0][1]?.body))).toEqual({ email: 'ada@example.com' });

    await userEvent.click(screen.getByRole('button', { name: 'Use another address' }));
    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.com');
  });

  it('says when to try again after too many requests', async () => {
    mockFetch({
      'POST /api/auth/password-reset': () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many requests for this address.' } },
          { 'Retry-After': '600' },
        ),
    });
    renderWithProviders(<ForgotPasswordPage />, { route: '/forgot-password?email=ada%40example.com' });

    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(
      await screen.findByText(/Too many requests for this address\. Try again in 10 minutes\./),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Check your email' })).not.toBeInTheDocument();
  });

  it("puts the server's field error under the field, and other errors above the form", async () => {
    let status = 422;
    mockFetch({
      'POST /api/auth/password-reset': () =>
        status === 422
          ? jsonResponse(422, {
              error: {
                code: 'validation_failed',
                message: 'Check the highlighted fields.',
                details: { fields: { email: 'This is not an email address.' } },
              },
            })
          : jsonResponse(503, {
              error: { code: 'unavailable', message: 'Mail is not available right now.' },
            }),
    });
    renderWithProviders(<ForgotPasswordPage />, { route: '/forgot-password?email=ada%40example.com' });

    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('This is not an email address.'),
    );

    status = 503;
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Mail is not available right now.');
  });
});

describe('the "Forgot password?" link of the sign-in form', () => {
  it('leads to /forgot-password with the address typed so far', async () => {
    mockFetch({});
    renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    const link = screen.getByRole('link', { name: 'Forgot password?' });
    expect(link).toHaveAttribute('href', '/forgot-password');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    expect(link).toHaveAttribute('href', '/forgot-password?email=ada%40example.com');
  });
});
