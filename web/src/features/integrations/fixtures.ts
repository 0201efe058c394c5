// Test data in the shapes of docs/api.md: the platforms' schemas and integrations in every status.
import type { CredentialField, Integration, IntegrationPlatform } from '@/lib/api';

const field = (name: string, label: string, secret: boolean, help = ''): CredentialField => ({
  name,
  label,
  help,
  placeholder: '',
  secret,
  required: true,
});

export const platforms: IntegrationPlatform[] = [
  {
    platform: 'telegram',
    name: 'Telegram',
    fields: [
      {
        ...field('bot_token', 'Bot token', true, 'Talk to @BotFather in Telegram: /newbot shows the token.'),
        placeholder: '123456789:AAE…',
      },
    ],
    webhook_setup: 'set_webhook',
    verify_call: 'getMe',
  },
  {
    platform: 'whatsapp',
    name: 'WhatsApp',
    fields: [
      field('access_token', 'Access token', true),
      field('phone_number_id', 'Phone number ID', false, 'WhatsApp › API Setup, under the sending number.'),
      field('app_secret', 'App secret', true),
      field('verify_token', 'Verify token', true),
    ],
    webhook_setup: 'verify_token',
    verify_call: 'GET /{phone_number_id}',
  },
  {
    platform: 'slack',
    name: 'Slack',
    fields: [field('bot_token', 'Bot token', true), field('signing_secret', 'Signing secret', true)],
    webhook_setup: 'signing_secret',
    verify_call: 'auth.test',
  },
  {
    platform: 'discord',
    name: 'Discord',
    fields: [field('application_id', 'Application ID', false), field('public_key', 'Public key', false)],
    webhook_setup: 'public_key',
    verify_call: 'GET /users/@me',
  },
  {
    platform: 'webchat',
    name: 'Web chat',
    fields: [],
    webhook_setup: 'none',
    verify_call: 'none',
  },
];

export function integration(overrides: Partial<Integration> = {}): Integration {
  return {
    id: 'int_1',
    platform: 'telegram',
    name: 'Shop bot',
    status: 'connected',
    status_reason: '',
    checked_at: '2026-11-25T19:40:00Z',
    account: '@shop_bot',
    credentials: { bot_token: { set: true, hint: '…abcd' } },
    webhook_url: 'https://switchboard.example.com/hooks/telegram/int_1',
    webhook_registered_at: null,
    deployment_count: 0,
    created_at: '2026-11-25T19:40:00Z',
    updated_at: '2026-11-25T19:40:00Z',
    ...overrides,
  };
}

/** One account per status, on three platforms. */
export const integrations: Integration[] = [
  integration({ deployment_count: 2 }),
  integration({
    id: 'int_2',
    platform: 'whatsapp',
    name: 'Shop number',
    status: 'invalid',
    status_reason: 'WhatsApp rejected the access token (401).',
    account: null,
    credentials: {
      access_token: { set: true, hint: '…wxyz' },
      phone_number_id: { set: true, hint: '…2922' },
      app_secret: { set: true, hint: '…beef' },
      verify_token: { set: true, hint: null },
    },
    webhook_url: 'https://switchboard.example.com/hooks/whatsapp/int_2',
  }),
  integration({
    id: 'int_3',
    platform: 'slack',
    name: 'Team workspace',
    status: 'needs_attention',
    status_reason: 'Slack did not answer within 10 seconds.',
    account: null,
    webhook_url: 'https://switchboard.example.com/hooks/slack/int_3',
  }),
  integration({
    id: 'int_4',
    platform: 'slack',
    name: 'Sales workspace',
    status: 'unverified',
    checked_at: null,
    account: null,
    webhook_url: 'https://switchboard.example.com/hooks/slack/int_4',
  }),
];
