import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DebugPage } from '@/pages/debug-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

describe('DebugPage', () => {
  it('tells a non-admin plainly that the page is for platform admins', async () => {
    mockFetch({
      'GET /api/debug': () =>
        jsonResponse(403, { error: { code: 'forbidden', message: 'Only platform admins can do this.' } }),
    });

    renderWithProviders(<DebugPage />, { route: '/debug' });

    expect(await screen.findByText('You need to be a platform admin to see this page')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to dashboard' })).toHaveAttribute('href', '/');
  });

  it('lists every check with its status and reason for an admin', async () => {
    mockFetch({
      'GET /api/debug': () =>
        jsonResponse(200, {
          checks: [
            { name: 'database', status: 'green', reason: 'answered in 0.3 ms' },
            { name: 'migrations', status: 'amber', reason: '1 migration pending' },
          ],
          database: { driver: 'sqlite', latency_ms: 0.3 },
          migrations: { applied: [], pending: [{ version: 2, name: 'bots' }] },
          session: {
            user: session.user,
            organization: session.organization,
            role: 'owner',
            expires_at: session.expires_at,
          },
          build: { version: '0.1.0', commit: 'abcdef1234567890' },
        }),
    });

    renderWithProviders(<DebugPage />, { route: '/debug' });

    expect(await screen.findByText('answered in 0.3 ms')).toBeInTheDocument();
    expect(screen.getByText('1 migration pending')).toBeInTheDocument();
    expect(screen.getByText('Healthy')).toBeInTheDocument();
    expect(screen.getByText('Warning')).toBeInTheDocument();
    expect(screen.getByText('sqlite')).toBeInTheDocument();
    expect(screen.getByText('bots')).toBeInTheDocument();
  });
});
