import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useSession } from '@/features/auth/session';
import { TwoFactorCard } from '@/features/two-factor/two-factor-card';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

function Card() {
  // The card lives behind sign-in: load the session first, as RequireAuth does.
  return useSession().data ? <TwoFactorCard /> : null;
}

const on = { enabled: true, enabled_at: '2026-12-01T10:00:00Z', recovery_codes_left: 2 };

describe('TwoFactorCard', () => {
  it('offers the set-up while two-factor is off', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/auth/two-factor': () =>
        jsonResponse(200, { enabled: false, enabled_at: null, recovery_codes_left: 0 }),
    });
    renderWithProviders(<Card />);
    expect(await screen.findByText('Off')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Set up' }));
    expect(screen.getByRole('button', { name: 'Show the QR code' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Set up' })).toBeInTheDocument();
  });

  it('says since when it is on, and warns when few recovery codes are left', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/auth/two-factor': () => jsonResponse(200, on),
    });
    renderWithProviders(<Card />);
    expect(await screen.findByText('On')).toBeInTheDocument();
    expect(screen.getByText(/^On since/)).toBeInTheDocument();
    expect(screen.getByText('2 recovery codes left')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Only 2 recovery codes are left.');
  });

  it('does not warn with plenty of codes left', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/auth/two-factor': () => jsonResponse(200, { ...on, recovery_codes_left: 10 }),
    });
    renderWithProviders(<Card />);
    expect(await screen.findByText('10 recovery codes left')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('turns it off after confirming', async () => {
    let enabled = true;
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/auth/two-factor': () =>
        jsonResponse(200, enabled ? on : { enabled: false, enabled_at: null, recovery_codes_left: 0 }),
      'POST /api/auth/two-factor/disable': () => {
        enabled = false;
        return new Response(null, { status: 204 });
      },
    });
    renderWithProviders(<Card />);
    await userEvent.click(await screen.findByRole('button', { name: 'Turn off' }));
    expect(screen.getByRole('heading', { name: 'Turn off two-factor sign-in?' })).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole('button', { name: 'Turn off' }).at(-1)!);
    expect(await screen.findByText('Off')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([url]) => String(url) === '/api/auth/two-factor/disable')).toBe(true);
  });

  it('shows a new set of recovery codes once', async () => {
    const codes = Array.from({ length: 10 }, (_, i) => `newcd-0000${i}`);
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/auth/two-factor': () => jsonResponse(200, on),
      'POST /api/auth/two-factor/recovery-codes': () => jsonResponse(200, { recovery_codes: codes }),
    });
    renderWithProviders(<Card />);
    await userEvent.click(await screen.findByRole('button', { name: 'New recovery codes' }));
    await userEvent.click(screen.getByRole('button', { name: 'Make new codes' }));
    expect(await screen.findByText(codes[3])).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('I have saved my recovery codes somewhere safe'));
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByText(codes[3])).not.toBeInTheDocument());
  });
});
