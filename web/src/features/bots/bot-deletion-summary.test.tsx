// The delete-bot confirmation names every deployment the bot loses, on every platform.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BotDeletionSummary } from '@/features/bots/bot-deletion-summary';
import { webchatDeployment } from '@/test/fixtures';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const deployment = webchatDeployment;

describe('BotDeletionSummary', () => {
  it('names web chat and every platform deployment, paused ones too', async () => {
    const fetchMock = mockFetch({
      'GET /api/deployments?bot_id=bot_1': () =>
        jsonResponse(200, {
          items: [
            deployment({ id: 'dep_1' }),
            deployment({
              id: 'dep_2',
              channel: 'telegram',
              integration_id: 'int_1',
              integration_name: 'Shop bot',
            }),
            deployment({
              id: 'dep_3',
              channel: 'whatsapp',
              integration_id: 'int_2',
              integration_name: 'Shop number',
              status: 'paused',
            }),
          ],
        }),
    });
    renderWithProviders(<BotDeletionSummary botId="bot_1" botName="Helper" />);
    expect(
      await screen.findByText('Web chat, Telegram · Shop bot and WhatsApp · Shop number (paused)'),
    ).toBeInTheDocument();
    expect(screen.getByText(/its 3 deployments/)).toBeInTheDocument();
    expect(String(fetchMock.mock.calls[0][0])).toBe('/api/deployments?bot_id=bot_1');
  });

  it('says so when the bot has no deployments', async () => {
    mockFetch({ 'GET /api/deployments?bot_id=bot_1': () => jsonResponse(200, { items: [] }) });
    renderWithProviders(<BotDeletionSummary botId="bot_1" botName="Helper" />);
    expect(await screen.findByText(/it has no deployments/)).toBeInTheDocument();
  });

  it('still warns about all deployments when they cannot be listed', async () => {
    mockFetch({
      'GET /api/deployments?bot_id=bot_1': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'Something went wrong.' } }),
    });
    renderWithProviders(<BotDeletionSummary botId="bot_1" botName="Helper" />);
    expect(
      await screen.findByText(/all its deployments \(on every platform\)/, {}, { timeout: 5000 }),
    ).toBeInTheDocument();
  });
});
