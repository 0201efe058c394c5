import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RequireTwoFactorEnrollment } from '@/features/two-factor/enrollment-gate';
import { useSession } from '@/features/auth/session';
import type { Session } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const waiting: Session = {
  ...session,
  role: 'member',
  user: { ...session.user, two_factor_enabled: false },
  organization: { ...session.organization!, require_two_factor: true },
  two_factor_enrollment_required: true,
};
const enrolled: Session = {
  ...waiting,
  user: { ...waiting.user, two_factor_enabled: true },
  two_factor_enrollment_required: false,
};
const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-1234${i}`);

function Gated() {
  const current = useSession();
  if (!current.data) return <p>Loading</p>;
  return (
    <RequireTwoFactorEnrollment>
      <p>Dashboard</p>
    </RequireTwoFactorEnrollment>
  );
}

describe('RequireTwoFactorEnrollment', () => {
  it('shows the page when the organisation does not wait for a second factor', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, session) });
    renderWithProviders(<Gated />);
    expect(await screen.findByText('Dashboard')).toBeInTheDocument();
  });

  it('walks a member through the set-up the organisation requires, then lets them in', async () => {
    let current = waiting;
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, current),
      'GET /api/orgs': () => jsonResponse(200, { items: [] }),
      'POST /api/auth/two-factor/setup': () =>
        jsonResponse(200, {
          secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
          otpauth_uri: 'otpauth://totp/Switchboard:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        }),
      'POST /api/auth/two-factor/enable': (init) => {
        expect(JSON.parse(String(init.body))).toEqual({ code: '123456' });
        current = enrolled;
        return jsonResponse(200, { recovery_codes: CODES });
      },
    });
    renderWithProviders(<Gated />);

    expect(
      await screen.findByRole('heading', { name: 'Your organization requires two-factor sign-in' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveTextContent("Ada's organization asks every member");
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Switch organization/ })).toBeInTheDocument();
    expect(screen.queryByText('Dashboard')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Set up two-factor sign-in' }));
    expect(
      await screen.findByRole('img', { name: 'QR code for your authenticator app' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Setup key')).toHaveValue('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');

    await userEvent.type(screen.getByLabelText('Code from the app'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    // The codes stay on screen until the person says they saved them, even though the server already let them in.
    expect(await screen.findByText(CODES[0])).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('I have saved my recovery codes somewhere safe'));
    await userEvent.click(screen.getByRole('button', { name: "Continue to Ada's organization" }));

    await waitFor(() => expect(screen.getByText('Dashboard')).toBeInTheDocument());
    // Many steps through a real form: give a busy machine time.
  }, 15_000);

  it('reports a wrong code beside the field', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, waiting),
      'GET /api/orgs': () => jsonResponse(200, { items: [] }),
      'POST /api/auth/two-factor/setup': () =>
        jsonResponse(200, {
          secret: 'JBSWY3DPEHPK3PXP',
          otpauth_uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
        }),
      'POST /api/auth/two-factor/enable': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { code: 'That code is not right.' } },
          },
        }),
    });
    renderWithProviders(<Gated />);

    await userEvent.click(await screen.findByRole('button', { name: 'Set up two-factor sign-in' }));
    await userEvent.type(await screen.findByLabelText('Code from the app'), '000000');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    expect(await screen.findByText('That code is not right.')).toBeInTheDocument();
    expect(screen.getByLabelText('Code from the app')).toHaveAttribute('aria-invalid', 'true');
  });
});
