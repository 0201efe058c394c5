import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DeploymentsPanel } from '@/features/bots/deployments-panel';
import { integrations } from '@/features/integrations/fixtures';
import type { Bot, Deployment } from '@/lib/api';
import { platformDeployment } from '@/test/fixtures';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

type Handlers = Parameters<typeof mockFetch>[0];

const bot = { id: 'bot_1', name: 'Helper' } as Bot;

const deployment = platformDeployment;

function renderPanel(deployments: Deployment[] = [], handlers: Handlers = {}) {
  const fetchMock = mockFetch({
    'GET /api/deployments?bot_id=bot_1': () => jsonResponse(200, { items: deployments }),
    'GET /api/integrations': () => jsonResponse(200, { items: integrations }),
    ...handlers,
  });
  renderWithProviders(<DeploymentsPanel bot={bot} canManage />);
  return fetchMock;
}

const deployButton = () => screen.getByRole('button', { name: 'Deploy to platform' });
const posts = (fetchMock: ReturnType<typeof mockFetch>) =>
  fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST');

describe('Deploying to a platform account', () => {
  it('lists every account with its status and refuses one that is not connected', async () => {
    const fetchMock = renderPanel();
    const sales = await screen.findByRole('radio', { name: /Sales workspace/ });
    expect(screen.getAllByRole('radio')).toHaveLength(4);
    expect(screen.getAllByTestId('integration-status').map((badge) => badge.textContent)).toEqual([
      'Connected',
      'Invalid',
      'Needs attention',
      'Unverified',
    ]);
    expect(deployButton()).toBeDisabled();

    await userEvent.click(sales);
    expect(screen.getByText('Verify “Sales workspace” on Integrations first.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open Integrations/ })).toHaveAttribute('href', '/integrations');
    expect(deployButton()).toBeDisabled();

    await userEvent.click(screen.getByRole('radio', { name: /Shop number/ }));
    expect(screen.getByText('Verify “Shop number” on Integrations first.')).toBeInTheDocument();
    expect(screen.getByText(/WhatsApp rejected the access token \(401\)\./)).toBeInTheDocument();
    expect(deployButton()).toBeDisabled();
    await userEvent.click(deployButton());
    expect(posts(fetchMock)).toHaveLength(0);
  });

  it('deploys to a connected account', async () => {
    const fetchMock = renderPanel([], {
      'POST /api/deployments': () => jsonResponse(201, deployment({})),
    });
    await userEvent.click(await screen.findByRole('radio', { name: /Shop bot/ }));
    expect(screen.queryByText(/on Integrations first/)).not.toBeInTheDocument();
    await userEvent.click(deployButton());

    await waitFor(() => expect(posts(fetchMock)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetchMock)[0][1]?.body))).toEqual({
      bot_id: 'bot_1',
      integration_id: 'int_1',
    });
    await waitFor(() => expect(screen.getByRole('radio', { name: /Shop bot/ })).not.toBeChecked());
  });

  it('shows the server’s refusal of the account', async () => {
    renderPanel([], {
      'POST /api/deployments': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { integration_id: 'Verify this integration first: it is invalid.' } },
          },
        }),
    });
    await userEvent.click(await screen.findByRole('radio', { name: /Shop bot/ }));
    await userEvent.click(deployButton());
    expect(await screen.findByText('Verify this integration first: it is invalid.')).toBeInTheDocument();
  });

  it('lists platform deployments with the account’s name and status', async () => {
    renderPanel([
      deployment({}),
      deployment({
        id: 'dep_2',
        channel: 'slack',
        integration_id: 'int_3',
        integration_name: 'Team workspace',
        integration_status: 'needs_attention',
        status: 'paused',
      }),
    ]);
    const telegram = within(await screen.findByLabelText('Telegram: Shop bot'));
    expect(telegram.getByText('Active')).toBeInTheDocument();
    expect(telegram.getByTestId('integration-status')).toHaveTextContent('Connected');
    expect(telegram.queryByText('Embed snippet: paste before </body>')).not.toBeInTheDocument();

    const slack = within(screen.getByLabelText('Slack: Team workspace'));
    expect(slack.getByText('Paused')).toBeInTheDocument();
    expect(slack.getByTestId('integration-status')).toHaveTextContent('Needs attention');
    expect(slack.getByText(/is not connected, so replies may not reach Slack/)).toBeInTheDocument();

    // The bot is already on Shop bot: it cannot be deployed there twice.
    expect(await screen.findByRole('radio', { name: /Shop bot/ })).toBeDisabled();
  });
});
