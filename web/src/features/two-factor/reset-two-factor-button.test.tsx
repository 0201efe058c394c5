import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AdminPage } from '@/pages/admin-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const user = (id: string, email: string, two_factor_enabled?: boolean) => ({
  id,
  email,
  name: email.split('@')[0],
  created_at: '2026-12-01T10:00:00Z',
  is_platform_admin: false,
  organization_count: 1,
  ...(two_factor_enabled === undefined ? {} : { two_factor_enabled }),
});

describe('resetting a user’s two-factor sign-in on /admin', () => {
  it('is offered only where two-factor is on, and asks before resetting', async () => {
    let grace = true;
    const fetchMock = mockFetch({
      'GET /api/admin/organizations': () => jsonResponse(200, { items: [] }),
      'GET /api/admin/users': () =>
        jsonResponse(200, {
          items: [
            user('usr_1', 'ada@example.com'),
            user('usr_2', 'grace@example.com', grace),
            user('usr_3', 'alan@example.com', false),
          ],
        }),
      'POST /api/admin/users/usr_2/two-factor/reset': () => {
        grace = false;
        return new Response(null, { status: 204 });
      },
    });
    renderWithProviders(<AdminPage />);

    const button = await screen.findByRole('button', {
      name: 'Reset two-factor sign-in of grace@example.com',
    });
    expect(screen.getAllByRole('button', { name: /Reset two-factor sign-in of/ })).toHaveLength(1);

    await userEvent.click(button);
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/will sign in with their password alone/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reset two-factor' }));

    await waitFor(() =>
      expect(screen.queryByRole('button', { name: /Reset two-factor sign-in of/ })).not.toBeInTheDocument(),
    );
    expect(
      fetchMock.mock.calls.some(([url]) => String(url) === '/api/admin/users/usr_2/two-factor/reset'),
    ).toBe(true);
  });
});
