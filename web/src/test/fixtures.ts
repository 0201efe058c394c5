// Records the API returns, built whole for tests: each test states only the fields it is about.
import type { Deployment } from '@/lib/api';

/** An active web chat deployment of bot_1 ("Helper"), embeddable on https://shop.example.com. */
export function webchatDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'dep_1',
    bot_id: 'bot_1',
    bot_name: 'Helper',
    channel: 'webchat',
    integration_id: null,
    integration_name: null,
    integration_status: null,
    allowed_origins: ['https://shop.example.com'],
    status: 'active',
    key: 'key_1',
    hosted_page_enabled: true,
    color: '#4f46e5',
    position: 'right',
    launcher_label: '',
    greeting: '',
    theme: 'system',
    identity_secret_set: false,
    embed_snippet: '<script src="http://sb.test/widget.js" data-key="key_1" async></script>',
    hosted_url: 'http://sb.test/chat/key_1',
    created_at: '2026-11-25T19:40:00Z',
    updated_at: '2026-11-25T19:40:00Z',
    ...overrides,
  };
}

/** An active Telegram deployment of bot_1 through the connected account "Shop bot" (int_1). */
export function platformDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return webchatDeployment({
    channel: 'telegram',
    integration_id: 'int_1',
    integration_name: 'Shop bot',
    integration_status: 'connected',
    allowed_origins: [],
    embed_snippet: '',
    hosted_url: '',
    ...overrides,
  });
}
