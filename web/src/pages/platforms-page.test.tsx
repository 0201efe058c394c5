import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { integrations } from '@/features/integrations/fixtures';
import { PlatformsPage } from '@/pages/platforms-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

describe('PlatformsPage', () => {
  it('marks every platform available and says how many of its accounts are connected', async () => {
    mockFetch({ 'GET /api/integrations': () => jsonResponse(200, { items: integrations }) });
    renderWithProviders(<PlatformsPage />, { route: '/platforms' });

    const status = async (label: string) =>
      within(screen.getByLabelText(label, { selector: 'div' })).findByTestId('connection-status');
    expect(await status('Telegram')).toHaveTextContent('1 connected');
    expect(await status('WhatsApp Cloud API')).toHaveTextContent('1 invalid');
    expect(await status('Slack')).toHaveTextContent('1 needs attention · 1 unverified');
    expect(await status('Discord')).toHaveTextContent('Not connected');
    expect(screen.getAllByText('Available now')).toHaveLength(7);
    expect(screen.queryByText(/Coming soon/)).not.toBeInTheDocument();

    const telegram = within(screen.getByLabelText('Telegram', { selector: 'div' }));
    expect(telegram.getByRole('link', { name: /Manage in Integrations/ })).toHaveAttribute(
      'href',
      '/integrations',
    );
    const discord = within(screen.getByLabelText('Discord', { selector: 'div' }));
    expect(discord.getByRole('link', { name: /Connect in Integrations/ })).toHaveAttribute(
      'href',
      '/integrations',
    );
    const webchat = within(screen.getByLabelText('Web chat', { selector: 'div' }));
    expect(webchat.getByRole('link', { name: /Deploy a bot to web chat/ })).toHaveAttribute('href', '/bots');
  });

  it('still lists the platforms when the statuses cannot be loaded', async () => {
    mockFetch({
      'GET /api/integrations': () =>
        jsonResponse(403, { error: { code: 'forbidden', message: 'You are not allowed to do this.' } }),
    });
    renderWithProviders(<PlatformsPage />, { route: '/platforms' });
    expect(await screen.findAllByText('Connection status unavailable')).toHaveLength(6);
  });
});
