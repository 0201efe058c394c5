// The bot page's Conversations tab: its latest conversations and the way to search them all.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConversationsPanel } from '@/features/bots/conversations-panel';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

describe('ConversationsPanel', () => {
  it('links to the Conversations page filtered to this bot', async () => {
    mockFetch({
      'GET /api/conversations?bot_id=bot_1&limit=100': () =>
        jsonResponse(200, {
          items: [
            {
              id: 'ses_1',
              bot_id: 'bot_1',
              bot_name: 'Support',
              deployment_id: null,
              platform: 'console',
              external_user_id: 'usr_1',
              display_name: 'Ada Lovelace',
              status: 'open',
              started_at: '2026-12-01T09:00:00Z',
              last_message_at: '2026-12-01T09:05:00Z',
              first_response_at: null,
              message_count: 2,
              last_message: 'Hello',
              satisfaction_score: null,
            },
          ],
          next_cursor: null,
        }),
    });
    renderWithProviders(<ConversationsPanel botId="bot_1" />);
    const link = await screen.findByRole('link', { name: 'Search and filter this bot’s conversations' });
    expect(link).toHaveAttribute('href', '/conversations?bot_id=bot_1');
  });
});
