import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DeploymentsPanel, HOSTED_PAGE_HINT } from '@/features/bots/deployments-panel';
import type { Bot, Deployment } from '@/lib/api';
import { webchatDeployment } from '@/test/fixtures';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

type Handlers = Parameters<typeof mockFetch>[0];

const bot = { id: 'bot_1', name: 'Helper' } as Bot;

const webchat = webchatDeployment;

function renderPanel(deployments: Deployment[], handlers: Handlers = {}, canManage = true) {
  const fetchMock = mockFetch({
    'GET /api/deployments?bot_id=bot_1': () => jsonResponse(200, { items: deployments }),
    'GET /api/integrations': () => jsonResponse(200, { items: [] }),
    ...handlers,
  });
  renderWithProviders(<DeploymentsPanel bot={bot} canManage={canManage} />);
  return fetchMock;
}

const sent = (fetchMock: ReturnType<typeof mockFetch>, method: string) =>
  fetchMock.mock.calls
    .filter(([, init]) => init?.method === method)
    .map(([url, init]) => ({ url: String(url), body: JSON.parse(String(init?.body)) }));

describe('The hosted chat page switch', () => {
  it('deploys with the hosted page on by default, or off when switched off', async () => {
    const fetchMock = renderPanel([], {
      'POST /api/deployments': () => jsonResponse(201, webchat()),
    });
    const toggle = await screen.findByRole('switch', { name: 'Hosted chat page' });
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(toggle).toHaveAccessibleDescription(HOSTED_PAGE_HINT);

    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    await userEvent.type(screen.getByLabelText('Allowed origins'), 'https://Shop.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Deploy to web chat' }));
    await waitFor(() => expect(sent(fetchMock, 'POST')).toHaveLength(1));
    expect(sent(fetchMock, 'POST')[0].body).toEqual({
      bot_id: 'bot_1',
      channel: 'webchat',
      allowed_origins: ['https://shop.example.com'],
      hosted_page_enabled: false,
    });
  });

  it('turns a web chat’s hosted page off, hiding its link', async () => {
    let current = webchat();
    const fetchMock = renderPanel([], {
      'GET /api/deployments?bot_id=bot_1': () => jsonResponse(200, { items: [current] }),
      'PATCH /api/deployments/dep_1': () => {
        current = webchat({ hosted_page_enabled: false });
        return jsonResponse(200, current);
      },
    });
    const card = within(await screen.findByLabelText('Web chat key_1'));
    expect(card.getByRole('link', { name: /Open hosted chat/ })).toHaveAttribute(
      'href',
      'http://sb.test/chat/key_1',
    );
    const toggle = card.getByRole('switch', { name: 'Hosted chat page' });
    expect(toggle).toHaveAttribute('aria-checked', 'true');

    await userEvent.click(toggle);
    await waitFor(() =>
      expect(sent(fetchMock, 'PATCH')).toEqual([
        { url: '/api/deployments/dep_1', body: { hosted_page_enabled: false } },
      ]),
    );
    await waitFor(() => expect(toggle).toHaveAttribute('aria-checked', 'false'));
    expect(card.queryByRole('link', { name: /Open hosted chat/ })).not.toBeInTheDocument();
    expect(card.queryByText('Hosted chat link')).not.toBeInTheDocument();
    expect(card.getByText(/embeddable on https:\/\/shop\.example\.com only/)).toBeInTheDocument();
  });

  it('says when a chat is shown nowhere, and viewers see no switch', async () => {
    renderPanel([webchat({ allowed_origins: [], hosted_page_enabled: false })], {}, false);
    const card = within(await screen.findByLabelText('Web chat key_1'));
    expect(
      card.getByText(/not shown anywhere: add an allowed origin or turn the hosted page on/),
    ).toBeInTheDocument();
    expect(card.queryByRole('switch')).not.toBeInTheDocument();
  });
});
