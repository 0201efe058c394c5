import * as React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import { integration, integrations, platforms } from '@/features/integrations/fixtures';
import type { Integration } from '@/lib/api';
import { IntegrationsPage } from '@/pages/integrations-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

type Handlers = Parameters<typeof mockFetch>[0];

const MANAGER = ['integrations.read', 'integrations.manage'];

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

function renderPage({
  allowed = MANAGER,
  items = integrations,
  handlers = {},
}: { allowed?: string[]; items?: Integration[]; handlers?: Handlers } = {}) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/permissions?org_id=org_1': () =>
      jsonResponse(200, { roles: [], actions: [], role: 'owner', allowed }),
    'GET /api/integrations/platforms': () => jsonResponse(200, { items: platforms }),
    'GET /api/integrations': () => jsonResponse(200, { items }),
    ...handlers,
  });
  renderWithProviders(
    <SignedIn>
      <IntegrationsPage />
    </SignedIn>,
    { route: '/integrations' },
  );
  return fetchMock;
}

const card = (name: string) => screen.getByLabelText(name, { selector: 'div' });
const row = (name: string) => screen.getByRole('listitem', { name });
const calls = (fetchMock: ReturnType<typeof mockFetch>, method: string) =>
  fetchMock.mock.calls.filter(([, init]) => (init?.method ?? 'GET') === method);

describe('IntegrationsPage', () => {
  it('shows one card per platform with its accounts, statuses, reasons and webhook set-up', async () => {
    renderPage();
    expect(await screen.findByText('Shop bot')).toBeInTheDocument();

    for (const name of ['Telegram', 'WhatsApp', 'Slack', 'Discord', 'Web chat']) {
      expect(card(name)).toBeInTheDocument();
    }
    const telegram = within(card('Telegram'));
    expect(telegram.getByText('@shop_bot')).toBeInTheDocument();
    expect(telegram.getByText('2 deployments', { exact: false })).toBeInTheDocument();
    expect(telegram.getByText(/^1 connected · Verify calls/)).toBeInTheDocument();
    expect(telegram.getByLabelText('Webhook URL of Shop bot')).toHaveValue(
      'https://switchboard.example.com/hooks/telegram/int_1',
    );
    expect(telegram.getByText(/Not registered yet/)).toBeInTheDocument();

    const whatsapp = within(card('WhatsApp'));
    expect(whatsapp.getByText('WhatsApp rejected the access token (401).')).toBeInTheDocument();
    expect(whatsapp.getByText(/Callback URL together with the verify token/)).toBeInTheDocument();

    const slack = within(card('Slack'));
    expect(slack.getByText(/^1 needs attention · 1 unverified · /)).toBeInTheDocument();
    expect(slack.getByText('Slack did not answer within 10 seconds.')).toBeInTheDocument();
    expect(within(row('Sales workspace')).getByText('Never checked', { exact: false })).toBeInTheDocument();
    expect(slack.getAllByText(/Event Subscriptions/)).toHaveLength(2);

    expect(within(card('Discord')).getByText('No Discord account connected yet.')).toBeInTheDocument();
    expect(within(card('Web chat')).getByText('Built in: nothing to connect.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Connect Web chat' })).not.toBeInTheDocument();
  });

  it('colours each status: connected green, invalid red, needs attention amber, unverified grey', async () => {
    renderPage();
    await screen.findByText('Shop bot');
    const badge = (name: string) => within(row(name)).getByTestId('integration-status');
    expect(badge('Shop bot')).toHaveTextContent('Connected');
    expect(badge('Shop bot').className).toMatch(/emerald/);
    expect(badge('Shop number')).toHaveTextContent('Invalid');
    expect(badge('Shop number').className).toMatch(/red/);
    expect(badge('Team workspace')).toHaveTextContent('Needs attention');
    expect(badge('Team workspace').className).toMatch(/amber/);
    expect(badge('Sales workspace')).toHaveTextContent('Unverified');
    expect(badge('Sales workspace').className).toMatch(/bg-secondary/);
  });

  it('shows members the statuses but no button that changes anything', async () => {
    renderPage({ allowed: ['integrations.read'] });
    expect(await screen.findByText('Shop bot')).toBeInTheDocument();
    expect(screen.getAllByTestId('integration-status')).toHaveLength(4);
    for (const name of [/^Connect/, /^Verify/, /^Edit/, /^Disconnect/, /^Send a test/, /^Register/]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    // What is left: copying the webhook URLs.
    expect(new Set(screen.getAllByRole('button').map((button) => button.textContent))).toEqual(
      new Set(['Copy']),
    );
    expect(screen.getByText(/Owners and admins manage them/)).toBeInTheDocument();
    expect(screen.queryByText(/press Register webhook/)).not.toBeInTheDocument();
  });

  it('shows a skeleton while loading', async () => {
    renderPage({
      handlers: { 'GET /api/integrations': () => new Promise<Response>(() => {}) as unknown as Response },
    });
    expect(await screen.findByLabelText('Loading integrations')).toBeInTheDocument();
  });

  it('says so on each platform when nothing is connected', async () => {
    renderPage({ items: [] });
    expect(await screen.findByText('No Telegram account connected yet.')).toBeInTheDocument();
    expect(screen.getAllByText(/^Not connected · Verify calls/)).toHaveLength(4);
  });

  it('says what failed when the list cannot be loaded', async () => {
    renderPage({
      handlers: {
        'GET /api/integrations': () =>
          jsonResponse(422, { error: { code: 'validation_failed', message: 'Unknown platform.' } }),
      },
    });
    expect(await screen.findByText('Could not load the integrations')).toBeInTheDocument();
    expect(screen.getByText('Unknown platform.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('Connecting and editing an account', () => {
  it('builds the form from the platform’s fields and checks required ones before sending', async () => {
    const fetchMock = renderPage();
    await screen.findByText('Shop bot');
    await userEvent.click(screen.getByRole('button', { name: 'Connect WhatsApp' }));

    const dialog = within(screen.getByRole('dialog'));
    expect(dialog.getByRole('heading', { name: 'Connect WhatsApp' })).toBeInTheDocument();
    expect(dialog.getByLabelText('Access token')).toHaveAttribute('type', 'password');
    expect(dialog.getByLabelText('Phone number ID')).toHaveAttribute('type', 'text');
    expect(dialog.getByText('WhatsApp › API Setup, under the sending number.')).toBeInTheDocument();

    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    expect(dialog.getByText('Enter a name, e.g. the account it is.')).toBeInTheDocument();
    expect(dialog.getByText('Enter the access token.')).toBeInTheDocument();
    expect(dialog.getByText('Enter the verify token.')).toBeInTheDocument();
    expect(dialog.getByLabelText('App secret')).toHaveAttribute('aria-invalid', 'true');
    expect(calls(fetchMock, 'POST')).toHaveLength(0);
  });

  it('puts the server’s 422 messages under their fields and sends what was typed', async () => {
    const fetchMock = renderPage({
      handlers: {
        'POST /api/integrations': () =>
          jsonResponse(422, {
            error: {
              code: 'validation_failed',
              message: 'Some fields are invalid.',
              details: {
                fields: {
                  'credentials.bot_token': 'A Telegram bot token looks like 123456789:AAE…',
                  name: 'Use at most 100 characters.',
                },
              },
            },
          }),
      },
    });
    await screen.findByText('Shop bot');
    await userEvent.click(screen.getByRole('button', { name: 'Connect Telegram' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.type(dialog.getByLabelText('Name'), 'Support bot');
    await userEvent.type(dialog.getByLabelText('Bot token'), ' not-a-token ');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));

    expect(await dialog.findByText('A Telegram bot token looks like 123456789:AAE…')).toBeInTheDocument();
    expect(dialog.getByText('Use at most 100 characters.')).toBeInTheDocument();
    expect(dialog.getByLabelText('Bot token')).toHaveAttribute('aria-invalid', 'true');
    expect(dialog.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(JSON.parse(String(calls(fetchMock, 'POST')[0][1]?.body))).toEqual({
      platform: 'telegram',
      name: 'Support bot',
      credentials: { bot_token: 'not-a-token' },
    });
  });

  it('says a taken name under the name field', async () => {
    renderPage({
      handlers: {
        'POST /api/integrations': () =>
          jsonResponse(409, {
            error: { code: 'conflict', message: 'An integration is already named “Shop bot”.' },
          }),
      },
    });
    await screen.findByText('Shop bot');
    await userEvent.click(screen.getByRole('button', { name: 'Connect Telegram' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.type(dialog.getByLabelText('Name'), 'Shop bot');
    await userEvent.type(dialog.getByLabelText('Bot token'), '123:abc');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    expect(await dialog.findByText('An integration is already named “Shop bot”.')).toBeInTheDocument();
  });

  it('closes after saving, so no credential stays on screen', async () => {
    let items = integrations;
    renderPage({
      handlers: {
        'GET /api/integrations': () => jsonResponse(200, { items }),
        'POST /api/integrations': () => {
          items = [integration({ id: 'int_9', name: 'Support bot', status: 'unverified' }), ...items];
          return jsonResponse(201, items[0]);
        },
      },
    });
    await screen.findByText('Shop bot');
    await userEvent.click(screen.getByRole('button', { name: 'Connect Telegram' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.type(dialog.getByLabelText('Name'), 'Support bot');
    await userEvent.type(dialog.getByLabelText('Bot token'), '123456789:secret-token-value');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Support bot')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(document.body.innerHTML).not.toContain('secret-token-value');
  });

  it('shows stored values as hints, never prefilled, and keeps the blank ones', async () => {
    const fetchMock = renderPage({
      handlers: {
        'PATCH /api/integrations/int_2': (init) =>
          jsonResponse(200, { ...integrations[1], ...JSON.parse(String(init.body)), status: 'unverified' }),
      },
    });
    await screen.findByText('Shop number');
    await userEvent.click(screen.getByRole('button', { name: 'Edit Shop number' }));
    const dialog = within(screen.getByRole('dialog'));
    expect(dialog.getByText(/Leave a field blank to keep the stored value/)).toBeInTheDocument();
    expect(dialog.getByLabelText('Name')).toHaveValue('Shop number');
    expect(dialog.getByLabelText('Access token')).toHaveValue('');
    expect(dialog.getByLabelText('Access token')).toHaveAttribute('placeholder', '•••• wxyz');
    expect(dialog.getByText('•••• beef')).toBeInTheDocument();

    await userEvent.type(dialog.getByLabelText('Access token'), 'EAAG-new-token');
    await userEvent.click(dialog.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(JSON.parse(String(calls(fetchMock, 'PATCH')[0][1]?.body))).toEqual({
      name: 'Shop number',
      credentials: { access_token: 'EAAG-new-token' },
    });
  });
});

describe('Editing an account', () => {
  it('sets what happens to replies in doubt after a crash: sent again by default, or held', async () => {
    const fetchMock = renderPage({
      handlers: {
        'PATCH /api/integrations/int_2': (init) =>
          jsonResponse(200, { ...integrations[1], ...JSON.parse(String(init.body)) }),
      },
    });
    await screen.findByText('Shop number');
    await userEvent.click(screen.getByRole('button', { name: 'Edit Shop number' }));
    const dialog = within(screen.getByRole('dialog'));
    const policy = dialog.getByLabelText('Replies in doubt after a crash');
    expect(policy).toHaveValue('resend');
    expect(dialog.getByText(/a person may get it twice/)).toBeInTheDocument();
    await userEvent.selectOptions(policy, 'hold');
    expect(dialog.getByText(/never sent twice/)).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(JSON.parse(String(calls(fetchMock, 'PATCH')[0][1]?.body))).toEqual({
      name: 'Shop number',
      in_doubt_policy: 'hold',
    });
  });

  it('shows a failed save beside Save changes and as a toast, keeping the dialog open', async () => {
    const toastError = vi.spyOn(toast, 'error');
    renderPage({
      handlers: {
        'PATCH /api/integrations/int_2': () =>
          jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
      },
    });
    await screen.findByText('Shop number');
    await userEvent.click(screen.getByRole('button', { name: 'Edit Shop number' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.type(dialog.getByLabelText('Access token'), 'EAAG-new-token');
    await userEvent.click(dialog.getByRole('button', { name: 'Save changes' }));

    const footer = within(dialog.getByRole('button', { name: 'Save changes' }).parentElement!);
    expect(await footer.findByRole('alert')).toHaveTextContent('Not saved: The database is unavailable.');
    expect(toastError).toHaveBeenCalledWith('Changes not saved', {
      description: 'The database is unavailable.',
    });
    expect(dialog.getByLabelText('Access token')).toHaveValue('EAAG-new-token');
  });

  it('asks before closing with something typed: Stay keeps it, Discard closes', async () => {
    renderPage();
    await screen.findByText('Shop number');
    await userEvent.click(screen.getByRole('button', { name: 'Edit Shop number' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.type(dialog.getByLabelText('Access token'), 'EAAG-new-token');

    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    const question = () => screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    await userEvent.click(within(await question()).getByRole('button', { name: 'Stay' }));
    expect(dialog.getByLabelText('Access token')).toHaveValue('EAAG-new-token');

    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('closes at once when nothing was typed', async () => {
    renderPage();
    await screen.findByText('Shop number');
    await userEvent.click(screen.getByRole('button', { name: 'Edit Shop number' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});

describe('Checking an account', () => {
  it('shows progress while verifying, then the new status and reason', async () => {
    let answer: (response: Response) => void = () => {};
    let items = integrations;
    const checked = {
      ...integrations[3],
      status: 'invalid',
      status_reason: 'Slack rejected the token (invalid_auth).',
      checked_at: new Date().toISOString(),
    } as const;
    renderPage({
      handlers: {
        'GET /api/integrations': () => jsonResponse(200, { items }),
        'POST /api/integrations/int_4/verify': () =>
          new Promise<Response>((resolve) => {
            answer = resolve;
          }) as unknown as Response,
      },
    });
    await screen.findByText('Sales workspace');
    const sales = within(row('Sales workspace'));
    await userEvent.click(sales.getByRole('button', { name: 'Verify Sales workspace' }));
    expect(await sales.findByRole('button', { name: 'Verifying Sales workspace…' })).toBeDisabled();

    items = integrations.map((item) => (item.id === checked.id ? checked : item));
    answer(jsonResponse(200, checked));
    expect(await sales.findByText('Slack rejected the token (invalid_auth).')).toBeInTheDocument();
    expect(sales.getByTestId('integration-status')).toHaveTextContent('Invalid');
    expect(sales.getByRole('button', { name: 'Verify Sales workspace' })).toBeEnabled();
  });

  it('sends a test message and shows what the platform answered', async () => {
    const fetchMock = renderPage({
      handlers: {
        'POST /api/integrations/int_1/test-message': () =>
          jsonResponse(200, {
            ok: false,
            message: 'Telegram refused it: Bad Request: chat not found.',
            http_status: 400,
            platform_message_id: null,
          }),
      },
    });
    await screen.findByText('Shop bot');
    await userEvent.click(screen.getByRole('button', { name: 'Send a test message through Shop bot' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Send' }));
    expect(dialog.getByText('Enter the chat id.')).toBeInTheDocument();

    await userEvent.type(dialog.getByLabelText('Chat id'), '42');
    await userEvent.click(dialog.getByRole('button', { name: 'Send' }));
    expect(await dialog.findByText('Telegram refused it: Bad Request: chat not found.')).toBeInTheDocument();
    expect(dialog.getByText(/Failed: Telegram refused it \(HTTP 400\)/)).toBeInTheDocument();
    expect(JSON.parse(String(calls(fetchMock, 'POST')[0][1]?.body))).toEqual({
      recipient: '42',
      text: 'Hello from Switchboard! This is a test message.',
    });
  });

  it('registers the Telegram webhook and shows the answer', async () => {
    let items = integrations;
    renderPage({
      handlers: {
        'GET /api/integrations': () => jsonResponse(200, { items }),
        'POST /api/integrations/int_1/webhook': () => {
          const registered = { ...integrations[0], webhook_registered_at: new Date().toISOString() };
          items = [registered, ...integrations.slice(1)];
          return jsonResponse(200, {
            ok: true,
            message: 'Webhook was set.',
            http_status: 200,
            integration: registered,
          });
        },
      },
    });
    await screen.findByText('Shop bot');
    const shop = within(row('Shop bot'));
    await userEvent.click(shop.getByRole('button', { name: 'Register the webhook of Shop bot' }));
    expect(await shop.findByText('Webhook was set.')).toBeInTheDocument();
    expect(shop.getByText(/Webhook registered \(HTTP 200\)/)).toBeInTheDocument();
    await waitFor(() => expect(shop.queryByText(/Not registered yet/)).not.toBeInTheDocument());
    // Only Telegram's webhook is registered by Switchboard.
    expect(screen.queryByRole('button', { name: 'Register the webhook of Team workspace' })).toBeNull();
  });

  it('says how many deployments stop before disconnecting', async () => {
    const fetchMock = renderPage({
      handlers: { 'DELETE /api/integrations/int_1': () => jsonResponse(204) },
    });
    await screen.findByText('Shop bot');
    await userEvent.click(screen.getByRole('button', { name: 'Disconnect Shop bot' }));
    const dialog = within(screen.getByRole('dialog'));
    expect(dialog.getByText(/2 deployments on it stop and are removed/)).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Disconnect' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls(fetchMock, 'DELETE')).toHaveLength(1);
  });

  it('disables Register webhook with its reason while the account needs attention or is refused', async () => {
    const fetchMock = renderPage({
      items: [
        integration({ id: 'int_1', name: 'Shop bot', status: 'needs_attention', status_reason: 'Telegram did not answer.' }),
        integration({ id: 'int_2', name: 'Refused bot', status: 'invalid', status_reason: 'Unauthorized (401).' }),
        integration({ id: 'int_3', name: 'Good bot', status: 'connected' }),
      ],
    });
    await screen.findByText('Shop bot');
    const waiting = within(row('Shop bot')).getByRole('button', { name: 'Register the webhook of Shop bot' });
    expect(waiting).toBeDisabled();
    expect(waiting).toHaveAccessibleDescription(
      'Register webhook is unavailable while the account needs attention: verify it again first.',
    );
    expect(within(row('Shop bot')).getByText(/unavailable while the account needs attention/)).toBeVisible();
    const refused = within(row('Refused bot')).getByRole('button', { name: 'Register the webhook of Refused bot' });
    expect(refused).toBeDisabled();
    expect(refused).toHaveAccessibleDescription(/platform refuses the credentials/);
    const good = within(row('Good bot')).getByRole('button', { name: 'Register the webhook of Good bot' });
    expect(good).toBeEnabled();
    expect(good).not.toHaveAccessibleDescription(/unavailable/);
    await userEvent.click(waiting);
    expect(calls(fetchMock, 'POST')).toHaveLength(0);
  });

  it('warns, naming the setting and its variable, when platforms cannot reach the public base URL', async () => {
    renderPage({
      handlers: {
        'GET /api/integrations/platforms': () =>
          jsonResponse(200, {
            items: platforms,
            public_base_url: {
              url: 'http://127.0.0.1:8080',
              reachable: false,
              problem: 'loopback',
              message: 'The public base URL is a loopback address, which is this machine only: no platform can reach it.',
              setting: '--public-base-url',
              environment_variable: 'SWITCHBOARD_PUBLIC_BASE_URL',
            },
          }),
      },
    });
    const warning = await screen.findByRole('alert', { name: 'Platforms cannot reach this server' });
    const w = within(warning);
    expect(w.getByText('http://127.0.0.1:8080')).toBeInTheDocument();
    expect(w.getByText(/is a loopback address/)).toBeInTheDocument();
    expect(w.getByText('--public-base-url')).toBeInTheDocument();
    expect(w.getByText('SWITCHBOARD_PUBLIC_BASE_URL')).toBeInTheDocument();
  });

  it('shows no warning when platforms can reach the public base URL, and each platform with its logo and needs', async () => {
    renderPage({
      handlers: {
        'GET /api/integrations/platforms': () =>
          jsonResponse(200, {
            items: platforms,
            public_base_url: {
              url: 'https://switchboard.example.com',
              reachable: true,
              problem: null,
              message: '',
              setting: '--public-base-url',
              environment_variable: 'SWITCHBOARD_PUBLIC_BASE_URL',
            },
          }),
      },
    });
    await screen.findByText('Shop bot');
    expect(screen.queryByRole('alert', { name: 'Platforms cannot reach this server' })).toBeNull();
    const telegram = card('Telegram');
    expect(telegram.querySelector('svg[aria-hidden="true"] circle[fill="#26A5E4"]')).not.toBeNull();
    expect(within(telegram).getByRole('list', { name: 'What connecting Telegram needs' })).toHaveTextContent('Bot token');
    expect(within(telegram).getByText('A Telegram bot created with @BotFather.')).toBeInTheDocument();
  });
});
