import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SessionsCard } from '@/features/profile/sessions-card';
import type { SessionInfo } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const laptop: SessionInfo = {
  id: 'ses_laptop',
  device: 'Chrome on macOS',
  user_agent: 'Mozilla/5.0 (Macintosh) Chrome/120',
  ip: '192.0.2.1',
  created_at: '2026-12-01T10:00:00Z',
  last_seen_at: '2026-12-04T10:00:00Z',
  current: true,
};
const phone: SessionInfo = {
  ...laptop,
  id: 'ses_phone',
  device: 'Safari on iPhone',
  ip: '198.51.100.7',
  current: false,
};

describe('SessionsCard', () => {
  it('lists the sessions, marks this browser, and signs another one out', async () => {
    let items = [laptop, phone];
    const fetchMock = mockFetch({
      'GET /api/auth/sessions': () => jsonResponse(200, { items }),
      'DELETE /api/auth/sessions/ses_phone': () => {
        items = [laptop];
        return new Response(null, { status: 204 });
      },
    });
    renderWithProviders(<SessionsCard />);

    expect(screen.getByLabelText('Loading sessions')).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Sessions' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getByText('This browser')).toBeInTheDocument();
    expect(within(list).getByText(/198\.51\.100\.7/)).toBeInTheDocument();
    // Only other sessions have a sign-out button; this one signs out from the menu.
    expect(within(list).getAllByRole('button', { name: /^Sign out/ })).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out Safari on iPhone' }));
    await screen.findByText('Chrome on macOS');
    await expect
      .poll(() => within(screen.getByRole('list', { name: 'Sessions' })).queryAllByRole('listitem').length)
      .toBe(1);
    expect(
      fetchMock.mock.calls.some(
        ([path, init]) => init?.method === 'DELETE' && path === '/api/auth/sessions/ses_phone',
      ),
    ).toBe(true);
    expect(screen.getByRole('button', { name: 'Sign out everywhere else' })).toBeDisabled();
  });

  it('signs out everywhere else', async () => {
    let items = [laptop, phone];
    const fetchMock = mockFetch({
      'GET /api/auth/sessions': () => jsonResponse(200, { items }),
      'POST /api/auth/sessions/revoke-others': () => {
        items = [laptop];
        return new Response(null, { status: 204 });
      },
    });
    renderWithProviders(<SessionsCard />);
    await screen.findByText('Safari on iPhone');
    await userEvent.click(screen.getByRole('button', { name: 'Sign out everywhere else' }));
    await expect.poll(() => screen.queryByText('Safari on iPhone')).toBeNull();
    expect(fetchMock.mock.calls.some(([path]) => path === '/api/auth/sessions/revoke-others')).toBe(true);
  });

  it('shows an error with a retry when the list cannot load', async () => {
    mockFetch({
      'GET /api/auth/sessions': () =>
        jsonResponse(403, { error: { code: 'forbidden', message: 'This needs a signed-in person.' } }),
    });
    renderWithProviders(<SessionsCard />);
    expect(await screen.findByText('Could not load your sessions')).toBeInTheDocument();
    expect(screen.getByText('This needs a signed-in person.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('says so when there are no sessions', async () => {
    mockFetch({ 'GET /api/auth/sessions': () => jsonResponse(200, { items: [] }) });
    renderWithProviders(<SessionsCard />);
    expect(await screen.findByText('No active sessions')).toBeInTheDocument();
  });
});
