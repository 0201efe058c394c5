// /conversations against a mocked fetch: the filters as the API's parameters and in the URL, paging,
// the empty and error states, and a transcript opened from the list or from a shared link.
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConversationPage } from '@/features/conversations/api';
import type { Conversation, ConversationWithMessages, Deployment } from '@/lib/api';
import { ConversationsPage } from '@/pages/conversations-page';
import { useSession } from '@/features/auth/session';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

type Handlers = Parameters<typeof mockFetch>[0];

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'ses_1',
    bot_id: 'bot_1',
    bot_name: 'Support',
    deployment_id: 'dep_1',
    platform: 'webchat',
    external_user_id: 'visitor-1',
    display_name: 'Grace Hopper',
    status: 'open',
    started_at: '2026-12-01T09:00:00Z',
    last_message_at: '2026-12-01T09:05:00Z',
    first_response_at: '2026-12-01T09:00:01Z',
    message_count: 2,
    last_message: 'Your refund is on its way.',
    satisfaction_score: null,
    ...overrides,
  };
}

const grace = conversation();
const alan = conversation({
  id: 'ses_2',
  bot_id: 'bot_2',
  bot_name: 'Sales',
  deployment_id: 'dep_2',
  platform: 'telegram',
  external_user_id: '100200301',
  display_name: 'Alan Turing',
  status: 'ended',
  last_message: 'Which plan suits a team of five?',
  message_count: 4,
});
const ada = conversation({ id: 'ses_3', display_name: 'Ada Lovelace', last_message: 'Thanks!' });

const graceWithMessages: ConversationWithMessages = {
  ...grace,
  messages: [
    {
      id: 'msg_1',
      direction: 'in',
      text: 'Where is my refund? REFUND please',
      source: null,
      model: null,
      prompt_tokens: null,
      completion_tokens: null,
      latency_ms: null,
      error: null,
      created_at: '2026-12-01T09:00:00Z',
    },
    {
      id: 'msg_2',
      direction: 'out',
      text: 'Your refund is on its way.',
      source: 'template',
      model: null,
      prompt_tokens: null,
      completion_tokens: null,
      latency_ms: 3,
      error: null,
      created_at: '2026-12-01T09:00:01Z',
    },
  ],
};

const bots = [
  { id: 'bot_1', name: 'Support' },
  { id: 'bot_2', name: 'Sales' },
];
const deployments = [
  { id: 'dep_1', bot_id: 'bot_1', bot_name: 'Support', channel: 'webchat', integration_name: null },
  { id: 'dep_2', bot_id: 'bot_2', bot_name: 'Sales', channel: 'telegram', integration_name: 'Sales bot' },
] as Deployment[];

const page = (items: Conversation[], next_cursor: string | null = null): ConversationPage => ({
  items,
  next_cursor,
});

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

const MANAGER = ['bots.read', 'bots.manage'];
const VIEWER = ['bots.read'];

function renderPage({
  route = '/conversations',
  handlers = {},
  allowed = MANAGER,
}: { route?: string; handlers?: Handlers; allowed?: string[] } = {}) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/permissions?org_id=org_1': () =>
      jsonResponse(200, { roles: [], actions: [], role: 'owner', allowed }),
    'GET /api/conversations?limit=25': () => jsonResponse(200, page([grace, alan])),
    'GET /api/bots?status=all': () => jsonResponse(200, { items: bots }),
    'GET /api/deployments': () => jsonResponse(200, { items: deployments }),
    'GET /api/conversations/ses_1': () => jsonResponse(200, graceWithMessages),
    ...handlers,
  });
  const { router } = renderWithProviders(
    <SignedIn>
      <ConversationsPage />
    </SignedIn>,
    { route },
  );
  return { fetchMock, router };
}

const requested = (fetchMock: ReturnType<typeof mockFetch>) =>
  fetchMock.mock.calls
    .filter(([, init]) => (init?.method ?? 'GET') === 'GET')
    .map(([path]) => String(path))
    .filter((path) => path.startsWith('/api/conversations'));
const row = (name: string) => screen.getByRole('button', { name }).closest('tr')!;

describe('ConversationsPage', () => {
  it('lists every conversation with its bot, platform, status and last message', async () => {
    renderPage();
    await screen.findByRole('button', { name: 'Grace Hopper' });
    const first = within(row('Grace Hopper'));
    expect(first.getByText('Support')).toBeInTheDocument();
    expect(first.getByText('Web chat')).toBeInTheDocument();
    expect(first.getByText('Open')).toBeInTheDocument();
    expect(first.getByText('Your refund is on its way.')).toBeInTheDocument();
    const second = within(row('Alan Turing'));
    expect(second.getByText('Telegram')).toBeInTheDocument();
    expect(second.getByText('Ended')).toBeInTheDocument();
    expect(screen.getByText('That is everything.')).toBeInTheDocument();
  });

  it('sends the filters of a shared link under the API’s parameter names and shows them', async () => {
    const from = '2026-12-01T08:00:00Z';
    const to = '2026-12-02T08:00:00Z';
    const { fetchMock } = renderPage({
      route: `/conversations?q=refund&user=grace&bot_id=bot_1&platform=webchat&deployment_id=dep_1&status=open&from=${from}&to=${to}`,
      handlers: {
        [`GET /api/conversations?q=refund&user=grace&bot_id=bot_1&platform=webchat&deployment_id=dep_1&status=open&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=25`]:
          () => jsonResponse(200, page([grace])),
      },
    });
    await screen.findByRole('button', { name: 'Grace Hopper' });
    expect(screen.queryByRole('button', { name: 'Alan Turing' })).not.toBeInTheDocument();
    expect(requested(fetchMock)).toHaveLength(1);
    expect(screen.getByLabelText('Search messages')).toHaveValue('refund');
    expect(screen.getByLabelText('Person')).toHaveValue('grace');
    await waitFor(() => expect(screen.getByLabelText('Bot')).toHaveValue('bot_1'));
    expect(screen.getByLabelText('Platform')).toHaveValue('webchat');
    await waitFor(() => expect(screen.getByLabelText('Deployment')).toHaveValue('dep_1'));
    expect(screen.getByLabelText('Status')).toHaveValue('open');
    expect(screen.getByLabelText('Active from')).not.toHaveValue('');
    expect(screen.getByLabelText('Active until')).not.toHaveValue('');
  });

  it('puts each chosen filter in the URL, asks the server with it, and Back returns to the one before', async () => {
    const { fetchMock, router } = renderPage({
      handlers: {
        'GET /api/conversations?q=refund&limit=25': () => jsonResponse(200, page([grace])),
        'GET /api/conversations?q=refund&user=grace&limit=25': () => jsonResponse(200, page([grace])),
        'GET /api/conversations?q=refund&user=grace&bot_id=bot_1&limit=25': () =>
          jsonResponse(200, page([grace])),
        'GET /api/conversations?q=refund&user=grace&bot_id=bot_1&platform=webchat&limit=25': () =>
          jsonResponse(200, page([grace])),
        'GET /api/conversations?q=refund&user=grace&bot_id=bot_1&platform=webchat&status=open&limit=25': () =>
          jsonResponse(200, page([grace])),
      },
    });
    await screen.findByRole('button', { name: 'Alan Turing' });
    await userEvent.type(screen.getByLabelText('Search messages'), 'refund{Enter}');
    await waitFor(() => expect(router.state.location.search).toBe('?q=refund'));
    await userEvent.type(screen.getByLabelText('Person'), ' grace {Enter}');
    await waitFor(() => expect(screen.getByLabelText('Bot')).toContainHTML('Support'));
    await userEvent.selectOptions(screen.getByLabelText('Bot'), 'bot_1');
    await userEvent.selectOptions(screen.getByLabelText('Platform'), 'webchat');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'open');
    await waitFor(() =>
      expect(router.state.location.search).toBe(
        '?q=refund&user=grace&bot_id=bot_1&platform=webchat&status=open',
      ),
    );
    await waitFor(() =>
      expect(requested(fetchMock)).toContain(
        '/api/conversations?q=refund&user=grace&bot_id=bot_1&platform=webchat&status=open&limit=25',
      ),
    );
    expect(screen.queryByRole('button', { name: 'Alan Turing' })).not.toBeInTheDocument();
    // Only the chosen bot's deployments on the chosen platform are offered.
    const options = within(screen.getByLabelText('Deployment')).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['Every deployment', 'Support · Web chat']);

    // As the browser's Back button does.
    await act(() => router.navigate(-1));
    await waitFor(() =>
      expect(router.state.location.search).toBe('?q=refund&user=grace&bot_id=bot_1&platform=webchat'),
    );
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue(''));
    await act(() => router.navigate(-3));
    await waitFor(() => expect(router.state.location.search).toBe('?q=refund'));
    await waitFor(() => expect(screen.getByLabelText('Person')).toHaveValue(''));
  });

  it('loads the next page through the cursor and appends it', async () => {
    const { fetchMock } = renderPage({
      handlers: {
        'GET /api/conversations?limit=25': () =>
          jsonResponse(200, page([grace, alan], '1764579900000.ses_2')),
        'GET /api/conversations?before=1764579900000.ses_2&limit=25': () => jsonResponse(200, page([ada])),
      },
    });
    await screen.findByRole('button', { name: 'Alan Turing' });
    expect(screen.getByText('2 conversations shown')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('button', { name: 'Ada Lovelace' });
    expect(screen.getByRole('button', { name: 'Grace Hopper' })).toBeInTheDocument();
    expect(screen.getByText('3 conversations shown')).toBeInTheDocument();
    expect(screen.getByText('That is everything.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(requested(fetchMock)).toEqual([
      '/api/conversations?limit=25',
      '/api/conversations?before=1764579900000.ses_2&limit=25',
    ]);
  });

  it('says when a next page could not be loaded and keeps the rows shown', async () => {
    renderPage({
      handlers: {
        'GET /api/conversations?limit=25': () => jsonResponse(200, page([grace], 'c1')),
        'GET /api/conversations?before=c1&limit=25': () =>
          jsonResponse(422, {
            error: {
              code: 'validation_failed',
              message: 'Check the fields.',
              details: { fields: { before: 'Bad.' } },
            },
          }),
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load more');
    expect(screen.getByRole('button', { name: 'Grace Hopper' })).toBeInTheDocument();
  });

  it('says there are no conversations yet when nothing is filtered', async () => {
    renderPage({ handlers: { 'GET /api/conversations?limit=25': () => jsonResponse(200, page([])) } });
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).not.toBeInTheDocument();
  });

  it('says nothing matches the filters, and Clear filters shows everything again', async () => {
    const { router, fetchMock } = renderPage({
      route: '/conversations?q=zebra&status=ended',
      handlers: { 'GET /api/conversations?q=zebra&status=ended&limit=25': () => jsonResponse(200, page([])) },
    });
    expect(await screen.findByText('No conversations match these filters')).toBeInTheDocument();
    const clearButtons = screen.getAllByRole('button', { name: 'Clear filters' });
    // One in the filter bar, one in the empty state.
    expect(clearButtons).toHaveLength(2);
    await userEvent.click(clearButtons[1]);
    await screen.findByRole('button', { name: 'Grace Hopper' });
    expect(router.state.location.search).toBe('');
    expect(screen.getByLabelText('Search messages')).toHaveValue('');
    expect(requested(fetchMock)).toEqual([
      '/api/conversations?q=zebra&status=ended&limit=25',
      '/api/conversations?limit=25',
    ]);
  });

  it('shows a refusal with a way to try again', async () => {
    // A 5xx is retried by the query client first; a 429 is shown at once.
    let calls = 0;
    renderPage({
      handlers: {
        'GET /api/conversations?limit=25': () =>
          ++calls === 1
            ? jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many requests at once.' } })
            : jsonResponse(200, page([grace])),
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the conversations');
    expect(alert).toHaveTextContent('Too many requests at once.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Grace Hopper' })).toBeInTheDocument();
  });

  it('names the value the server refused in a hand-edited link and offers to clear the filters', async () => {
    renderPage({
      route: '/conversations?platform=carrier-pigeon',
      handlers: {
        'GET /api/conversations?platform=carrier-pigeon&limit=25': () =>
          jsonResponse(422, {
            error: {
              code: 'validation_failed',
              message: 'Some fields are not valid.',
              details: { fields: { platform: 'Use one of console, webchat, telegram.' } },
            },
          }),
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('platform: Use one of console, webchat, telegram.');
    expect(within(alert).queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Platform')).toHaveValue('carrier-pigeon');
    await userEvent.click(screen.getAllByRole('button', { name: 'Clear filters' })[1]);
    expect(await screen.findByRole('button', { name: 'Grace Hopper' })).toBeInTheDocument();
  });

  it('opens a transcript with every message, keeps it in the URL, and marks the searched words', async () => {
    const { router } = renderPage({
      route: '/conversations?q=refund',
      handlers: { 'GET /api/conversations?q=refund&limit=25': () => jsonResponse(200, page([grace])) },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Grace Hopper' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByRole('heading', { name: 'Grace Hopper with Support' })).toBeInTheDocument();
    const messages = within(dialog.getByLabelText('Messages'));
    expect(await messages.findByText(/Where is my/)).toBeInTheDocument();
    expect(messages.getAllByText(/refund/i, { selector: 'mark' }).map((mark) => mark.textContent)).toEqual([
      'refund',
      'REFUND',
      'refund',
    ]);
    expect(router.state.location.search).toBe('?q=refund&conversation=ses_1');

    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(router.state.location.search).toBe('?q=refund');
  });

  it('opens the transcript of a shared link by its id alone', async () => {
    renderPage({ route: '/conversations?conversation=ses_1' });
    const dialog = within(await screen.findByRole('dialog'));
    expect(await dialog.findByRole('heading', { name: 'Grace Hopper with Support' })).toBeInTheDocument();
    expect(await dialog.findByText('Where is my refund? REFUND please')).toBeInTheDocument();
  });

  it('says so when the transcript cannot be loaded', async () => {
    renderPage({
      route: '/conversations?conversation=ses_other_org',
      handlers: {
        'GET /api/conversations/ses_other_org': () =>
          jsonResponse(404, { error: { code: 'not_found', message: 'This conversation does not exist.' } }),
      },
    });
    const dialog = within(await screen.findByRole('dialog'));
    expect(await dialog.findByText('This conversation does not exist.')).toBeInTheDocument();
  });
  it('shows each conversation’s outcome and first response time in its row', async () => {
    renderPage({
      handlers: {
        'GET /api/conversations?limit=25': () =>
          jsonResponse(
            200,
            page([
              { ...grace, resolved_at: '2026-12-01T09:04:00Z', resolved_by: 'user', first_response_ms: 1200 },
              {
                ...alan,
                converted_at: '2026-12-01T09:06:00Z',
                first_response_ms: null,
                first_response_at: '2026-12-01T09:03:00Z',
              },
              { ...ada, first_response_at: null, first_response_ms: null },
            ]),
          ),
      },
    });
    await screen.findByRole('button', { name: 'Grace Hopper' });
    const first = within(row('Grace Hopper'));
    expect(first.getByText('Resolved')).toHaveAttribute(
      'title',
      expect.stringContaining('Resolved by the user'),
    );
    expect(first.getByText('First reply 1.2 s')).toBeInTheDocument();
    const second = within(row('Alan Turing'));
    expect(second.getByText('Converted')).toBeInTheDocument();
    expect(second.queryByText('Resolved')).not.toBeInTheDocument();
    // Without first_response_ms (an older server), from the two times.
    expect(second.getByText('First reply 3 min')).toBeInTheDocument();
    const third = within(row('Ada Lovelace'));
    expect(third.queryByText('Resolved')).not.toBeInTheDocument();
    expect(third.getByText('No reply')).toBeInTheDocument();
  });

  it('filters by resolution, keeps it in the URL, and reads it from a shared link', async () => {
    const { router, fetchMock } = renderPage({
      handlers: {
        'GET /api/conversations?resolved=false&limit=25': () => jsonResponse(200, page([alan])),
        'GET /api/conversations?resolved=true&limit=25': () =>
          jsonResponse(200, page([{ ...grace, resolved_at: '2026-12-01T09:04:00Z', resolved_by: 'bot' }])),
      },
    });
    await screen.findByRole('button', { name: 'Alan Turing' });
    await userEvent.selectOptions(screen.getByLabelText('Resolution'), 'true');
    await waitFor(() => expect(router.state.location.search).toBe('?resolved=true'));
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Alan Turing' })).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Grace Hopper' })).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Resolution'), 'false');
    await waitFor(() => expect(router.state.location.search).toBe('?resolved=false'));
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Grace Hopper' })).not.toBeInTheDocument(),
    );
    await act(() => router.navigate(-1));
    await waitFor(() => expect(screen.getByLabelText('Resolution')).toHaveValue('true'));
    expect(await screen.findByRole('button', { name: 'Grace Hopper' })).toBeInTheDocument();
    expect(new Set(requested(fetchMock))).toEqual(
      new Set([
        '/api/conversations?limit=25',
        '/api/conversations?resolved=true&limit=25',
        '/api/conversations?resolved=false&limit=25',
      ]),
    );
  });

  it('reads the resolution filter of a shared link', async () => {
    renderPage({
      route: '/conversations?resolved=false',
      handlers: { 'GET /api/conversations?resolved=false&limit=25': () => jsonResponse(200, page([alan])) },
    });
    await screen.findByRole('button', { name: 'Alan Turing' });
    expect(screen.getByLabelText('Resolution')).toHaveValue('false');
    expect(screen.getByRole('button', { name: 'Clear filters' })).toBeInTheDocument();
  });

  it('shows the outcome in the transcript, and Mark resolved resolves it and updates the view', async () => {
    let resolved = false;
    const resolvedGrace = {
      ...grace,
      resolved_at: '2026-12-01T10:00:00Z',
      resolved_by: 'operator' as const,
      first_response_ms: 1000,
    };
    const { fetchMock } = renderPage({
      handlers: {
        'GET /api/conversations?limit=25': () =>
          jsonResponse(200, page([resolved ? resolvedGrace : { ...grace, first_response_ms: 1000 }, alan])),
        'GET /api/conversations/ses_1': () =>
          jsonResponse(200, {
            ...graceWithMessages,
            ...(resolved ? resolvedGrace : { first_response_ms: 1000 }),
            satisfaction_score: 4,
          }),
        'POST /api/conversations/ses_1/resolve': () => {
          resolved = true;
          return jsonResponse(200, { ...resolvedGrace, satisfaction_score: 4 });
        },
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Grace Hopper' }));
    const dialog = within(await screen.findByRole('dialog'));
    await dialog.findByText('Where is my refund? REFUND please');
    const summary = within(dialog.getByLabelText('Outcome'));
    expect(summary.getByText('Not yet')).toBeInTheDocument();
    expect(summary.getByText('4/5')).toBeInTheDocument();
    expect(summary.getByText('1.0 s')).toBeInTheDocument();
    await userEvent.click(await dialog.findByRole('button', { name: 'Mark resolved' }));
    await waitFor(() => expect(summary.getByText(/By an operator/)).toBeInTheDocument());
    expect(dialog.queryByRole('button', { name: 'Mark resolved' })).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([path]) => path)).toEqual([
      '/api/conversations/ses_1/resolve',
    ]);
    // The list behind follows.
    await waitFor(() => expect(within(row('Grace Hopper')).getByText('Resolved')).toBeInTheDocument());
  });

  it('hides Mark resolved from people who may not manage bots', async () => {
    renderPage({ allowed: VIEWER, route: '/conversations?conversation=ses_1' });
    const dialog = within(await screen.findByRole('dialog'));
    expect(await dialog.findByText('Where is my refund? REFUND please')).toBeInTheDocument();
    expect(within(dialog.getByLabelText('Outcome')).getByText('Not yet')).toBeInTheDocument();
    expect(dialog.queryByRole('button', { name: 'Mark resolved' })).not.toBeInTheDocument();
  });

  it('says so when marking resolved fails, and keeps the button', async () => {
    renderPage({
      route: '/conversations?conversation=ses_1',
      handlers: {
        'POST /api/conversations/ses_1/resolve': () =>
          jsonResponse(403, { error: { code: 'forbidden', message: 'Your role cannot do this.' } }),
      },
    });
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(await dialog.findByRole('button', { name: 'Mark resolved' }));
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'Could not mark it resolved: Your role cannot do this.',
    );
    expect(within(dialog.getByLabelText('Outcome')).getByText('Not yet')).toBeInTheDocument();
    expect(dialog.getByRole('button', { name: 'Mark resolved' })).toBeEnabled();
  });
});
