import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { integrations, platforms } from '@/features/integrations/fixtures';
import { PlatformsPage } from '@/pages/platforms-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

describe('PlatformsPage', () => {
  it('marks every platform available and says how many of its accounts are connected', async () => {
    mockFetch({
      'GET /api/integrations/platforms': () => jsonResponse(200, { items: platforms }),
      'GET /api/integrations': () => jsonResponse(200, { items: integrations }),
    });
    renderWithProviders(<PlatformsPage />, { route: '/platforms' });

    const status = async (label: string) =>
      within(await screen.findByLabelText(label, { selector: 'div' })).findByTestId('connection-status');
    expect(await status('Telegram')).toHaveTextContent('1 connected');
    expect(await status('WhatsApp')).toHaveTextContent('1 invalid');
    expect(await status('Slack')).toHaveTextContent('1 needs attention · 1 unverified');
    expect(await status('Discord')).toHaveTextContent('Not connected');
    expect(screen.getAllByText('Available now')).toHaveLength(platforms.length);
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
      'GET /api/integrations/platforms': () => jsonResponse(200, { items: platforms }),
      'GET /api/integrations': () =>
        jsonResponse(403, { error: { code: 'forbidden', message: 'You are not allowed to do this.' } }),
    });
    renderWithProviders(<PlatformsPage />, { route: '/platforms' });
    // Every platform but the built-in web chat.
    expect(await screen.findAllByText('Connection status unavailable')).toHaveLength(platforms.length - 1);
  });

  it('names what each platform asks for, from the server', async () => {
    mockFetch({
      'GET /api/integrations/platforms': () => jsonResponse(200, { items: platforms }),
      'GET /api/integrations': () => jsonResponse(200, { items: [] }),
    });
    renderWithProviders(<PlatformsPage />, { route: '/platforms' });
    const telegram = within(await screen.findByLabelText('Telegram', { selector: 'div' }));
    expect(telegram.getByText('Bot token')).toBeInTheDocument();
  });

  it('shows an error with a retry when the platforms cannot be loaded', { timeout: 10_000 }, async () => {
    mockFetch({
      'GET /api/integrations/platforms': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'Something went wrong.' } }),
      'GET /api/integrations': () => jsonResponse(200, { items: [] }),
    });
    renderWithProviders(<PlatformsPage />, { route: '/platforms' });
    // Server errors are retried twice before the page gives up.
    expect(
      await screen.findByText('Could not load the platforms', {}, { timeout: 8000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /retry|try again/i })).toBeInTheDocument();
  });
});
