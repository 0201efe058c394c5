// /operations against a mocked fetch: stats, table, URL filters, pagination, drawer, roles, bulk retry.
import * as React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import { integrations } from '@/features/integrations/fixtures';
import { deadJob, detail, job, page, stats } from '@/features/operations/fixtures';
import type { JobPage } from '@/lib/api';
import { OperationsPage } from '@/pages/operations-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', async (original) => ({
  ...(await original<typeof import('sonner')>()),
  toast: Object.assign(vi.fn(), { success: vi.fn(), error: vi.fn(), warning: vi.fn() }),
}));

type Handlers = Parameters<typeof mockFetch>[0];

const ADMIN = ['jobs.read', 'jobs.manage', 'integrations.read', 'bots.read'];
const MEMBER = ['jobs.read', 'integrations.read', 'bots.read'];
const bots = [{ id: 'bot_1', name: 'Support' }];

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

function renderPage({
  allowed = ADMIN,
  list = page([job(), deadJob]),
  handlers = {},
  route = '/operations',
}: { allowed?: string[]; list?: JobPage; handlers?: Handlers; route?: string } = {}) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/permissions?org_id=org_1': () =>
      jsonResponse(200, { roles: [], actions: [], role: 'owner', allowed }),
    'GET /api/jobs/stats': () => jsonResponse(200, stats),
    'GET /api/jobs?limit=50': () => jsonResponse(200, list),
    'GET /api/jobs?state=dead&limit=1': () => jsonResponse(200, page([deadJob], { total: 2 })),
    'GET /api/bots?status=all': () => jsonResponse(200, { items: bots }),
    'GET /api/integrations': () => jsonResponse(200, { items: integrations }),
    ...handlers,
  });
  renderWithProviders(
    <SignedIn>
      <OperationsPage />
    </SignedIn>,
    { route },
  );
  return fetchMock;
}

const paths = (fetchMock: ReturnType<typeof mockFetch>) =>
  fetchMock.mock.calls.map(([path, init]) => `${init?.method ?? 'GET'} ${String(path)}`);
const jobRow = (text: string) => screen.getByRole('button', { name: text }).closest('tr')!;

describe('OperationsPage', () => {
  it('shows the live count of every state and the last hour’s throughput and percentiles', async () => {
    renderPage();
    const counts = within(await screen.findByRole('group', { name: 'Jobs by state' }));
    for (const [name, count] of [
      ['Queued', '3'],
      ['Processing', '1'],
      ['Succeeded', '1280'],
      ['Failed', '4'],
      ['Dead', '2'],
      ['Cancelled', '0'],
    ]) {
      expect(counts.getByRole('button', { name: `${name}: ${count}` })).toBeInTheDocument();
    }
    const hour = within(screen.getByLabelText('Last hour', { selector: 'dl' }));
    expect(hour.getByText('p50 to reply').nextSibling).toHaveTextContent('850 ms');
    expect(hour.getByText('p95 to reply').nextSibling).toHaveTextContent('4.2 s');
    expect(hour.getByText('Received').nextSibling).toHaveTextContent('150 2.5/min');
    expect(hour.getByText('Succeeded').nextSibling).toHaveTextContent('141');
    expect(
      await screen.findByRole('figure', { name: 'Messages per minute in the last hour' }),
    ).toBeInTheDocument();
  });

  it('lists each job with its state, platform, integration, user, text, attempts, error and time', async () => {
    renderPage();
    const row = within(await waitFor(() => jobRow('Can I change my address?')));
    expect(row.getByTestId('job-state')).toHaveTextContent('Dead');
    expect(row.getByText('Slack')).toBeInTheDocument();
    expect(row.getByText('Team workspace')).toBeInTheDocument();
    expect(row.getByText('U123')).toBeInTheDocument();
    expect(row.getByText('5 of 5')).toBeInTheDocument();
    expect(row.getByText('Slack answered 500 Internal Server Error')).toBeInTheDocument();
    expect(within(jobRow('Where is my order?')).getByTestId('job-state')).toHaveTextContent('Succeeded');
    expect(screen.getByText('2 jobs')).toBeInTheDocument();
  });

  it('tells a person the platform will not reach apart from a platform failure', async () => {
    const blocked = job({
      id: 'job_9',
      state: 'dead',
      inbound_text: 'Stop writing to me',
      platform_message_id: null,
      last_error:
        'The recipient blocked the bot (Telegram 403: Forbidden: bot was blocked by the user). Retrying cannot help; the account itself is fine.',
      reason_kind: 'recipient',
    });
    renderPage({
      list: page([blocked, deadJob]),
      handlers: { 'GET /api/jobs/job_9': () => jsonResponse(200, detail(blocked)) },
    });
    const row = within(await waitFor(() => jobRow('Stop writing to me')));
    expect(row.getByTestId('job-reason')).toHaveTextContent('Recipient unreachable');
    expect(within(jobRow('Can I change my address?')).getByTestId('job-reason')).toHaveTextContent(
      'Platform unavailable',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Stop writing to me' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(await dialog.findByText(/The account itself is fine; retrying will not help/)).toBeInTheDocument();
    expect(dialog.getByTestId('job-reason')).toHaveTextContent('Recipient unreachable');
  });

  it('says how to get messages when there are none yet', async () => {
    renderPage({ list: page([]) });
    expect(await screen.findByText('No messages yet')).toBeInTheDocument();
    expect(
      screen.getByText('No messages yet — connect a platform or send a simulated message.'),
    ).toBeInTheDocument();
  });

  it('keeps the filters in the URL and sends them with the request', async () => {
    const filtered = () => jsonResponse(200, page([deadJob]));
    const fetchMock = renderPage({
      route: '/operations?platform=slack',
      handlers: {
        'GET /api/jobs?platform=slack&limit=50': filtered,
        'GET /api/jobs?state=dead&platform=slack&limit=50': filtered,
        'GET /api/jobs?state=dead&platform=slack&q=U123&limit=50': filtered,
        'GET /api/jobs?state=dead&bot_id=bot_1&platform=slack&q=U123&limit=50': filtered,
      },
    });
    await screen.findByRole('button', { name: 'Can I change my address?' });
    expect(screen.getByLabelText('Platform')).toHaveValue('slack');

    await userEvent.selectOptions(screen.getByLabelText('State'), 'dead');
    await userEvent.type(screen.getByLabelText('Search'), 'U123{Enter}');
    await waitFor(() => expect(screen.getByLabelText('Bot')).toContainHTML('Support'));
    await userEvent.selectOptions(screen.getByLabelText('Bot'), 'bot_1');

    await waitFor(() =>
      expect(paths(fetchMock)).toContain(
        'GET /api/jobs?state=dead&bot_id=bot_1&platform=slack&q=U123&limit=50',
      ),
    );
    expect(paths(fetchMock)).toEqual(
      expect.arrayContaining([
        'GET /api/jobs?platform=slack&limit=50',
        'GET /api/jobs?state=dead&platform=slack&limit=50',
        'GET /api/jobs?state=dead&platform=slack&q=U123&limit=50',
      ]),
    );
    // Only Slack accounts are offered once Slack is chosen.
    const options = within(screen.getByLabelText('Integration')).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      'Every integration',
      'Team workspace',
      'Sales workspace',
    ]);
  });

  it('filters by a state when its count is clicked', async () => {
    const fetchMock = renderPage({
      handlers: { 'GET /api/jobs?state=failed&limit=50': () => jsonResponse(200, page([])) },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Failed: 4' }));
    expect(await screen.findByText('No jobs match these filters')).toBeInTheDocument();
    expect(paths(fetchMock)).toContain('GET /api/jobs?state=failed&limit=50');
    expect(screen.getByLabelText('State')).toHaveValue('failed');
  });

  it('loads the next page with the cursor', async () => {
    const fetchMock = renderPage({
      list: page([job()], { total: 2, next_cursor: 'cur_2' }),
      handlers: {
        'GET /api/jobs?limit=50&cursor=cur_2': () => jsonResponse(200, page([deadJob], { total: 2 })),
      },
    });
    expect(await screen.findByText('1 of 2 jobs')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('button', { name: 'Can I change my address?' })).toBeInTheDocument();
    expect(screen.getByText('2 jobs')).toBeInTheDocument();
    expect(screen.getByText('That is everything.')).toBeInTheDocument();
    expect(paths(fetchMock)).toContain('GET /api/jobs?limit=50&cursor=cur_2');
  });

  it('links the downloads to the export of the current filters', async () => {
    renderPage({
      route: '/operations?state=dead&q=U123',
      handlers: { 'GET /api/jobs?state=dead&q=U123&limit=50': () => jsonResponse(200, page([deadJob])) },
    });
    expect(await screen.findByRole('link', { name: 'Download matching logs as JSONL' })).toHaveAttribute(
      'href',
      '/api/jobs/export?format=jsonl&state=dead&q=U123',
    );
    expect(screen.getByRole('link', { name: 'Download matching logs as CSV' })).toHaveAttribute(
      'href',
      '/api/jobs/export?format=csv&state=dead&q=U123',
    );
  });

  it('says when the role may not see jobs', async () => {
    const forbidden = () => jsonResponse(403, { error: { code: 'forbidden', message: 'No.' } });
    renderPage({
      allowed: [],
      handlers: { 'GET /api/jobs/stats': forbidden, 'GET /api/jobs?limit=50': forbidden },
    });
    expect(await screen.findByText('Your role cannot see messages and jobs')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says what failed when the jobs cannot be loaded, and offers to try again', async () => {
    renderPage({
      handlers: {
        'GET /api/jobs?limit=50': () =>
          jsonResponse(422, { error: { code: 'validation_failed', message: 'Unknown state.' } }),
      },
    });
    expect(await screen.findByText('Could not load the jobs')).toBeInTheDocument();
    expect(screen.getByText('Unknown state.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('A job in the drawer', () => {
  it('shows the reply, every log row as a timeline and the masked original event', async () => {
    const fetchMock = renderPage({
      handlers: { 'GET /api/jobs/job_2': () => jsonResponse(200, detail()) },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Can I change my address?' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(await dialog.findByText('Yes: reply with the new one.')).toBeInTheDocument();

    const timeline = within(dialog.getByRole('list', { name: 'Attempts and state changes' }));
    const rows = timeline.getAllByRole('listitem');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('Picked up by a worker')).toBeInTheDocument();
    expect(
      within(rows[0])
        .getAllByTestId('job-state')
        .map((badge) => badge.textContent),
    ).toEqual(['Queued', 'Processing']);
    expect(within(rows[1]).getByText('HTTP 500')).toBeInTheDocument();
    expect(within(rows[1]).getByText('312 ms')).toBeInTheDocument();
    expect(within(rows[1]).getByText('serve-1/w2')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Slack answered 500 Internal Server Error')).toBeInTheDocument();

    const payload = dialog.getByLabelText('Event payload');
    expect(payload.textContent).toBe(
      JSON.stringify(
        { token: '****', event: { type: 'message', text: 'Can I change my address?' } },
        null,
        2,
      ),
    );
    expect(dialog.getByText('slack:Ev0001')).toBeInTheDocument();
    expect(paths(fetchMock)).toContain('GET /api/jobs/job_2');
  });

  it('opens from the URL, so a job can be shared', async () => {
    renderPage({
      route: '/operations?job=job_2',
      handlers: { 'GET /api/jobs/job_2': () => jsonResponse(200, detail()) },
    });
    expect(await within(await screen.findByRole('dialog')).findByText('gave_up')).toBeInTheDocument();
  });

  it('hides Retry and Cancel from members', async () => {
    renderPage({
      allowed: MEMBER,
      handlers: { 'GET /api/jobs/job_2': () => jsonResponse(200, detail()) },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Can I change my address?' }));
    const dialog = within(await screen.findByRole('dialog'));
    await dialog.findByText('gave_up');
    expect(dialog.queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument();
    expect(dialog.queryByRole('button', { name: /Cancel job/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Retry all matching/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Simulate a message' })).not.toBeInTheDocument();
  });

  it('lets an admin retry a dead job, and cancel a failed one', async () => {
    const failed = job({ id: 'job_3', state: 'failed', inbound_text: 'Hello?', attempts: 2 });
    let retried = false;
    const fetchMock = renderPage({
      list: page([deadJob, failed]),
      handlers: {
        'GET /api/jobs/job_2': () =>
          jsonResponse(200, retried ? detail(deadJob, { state: 'queued' }) : detail()),
        'POST /api/jobs/job_2/retry': () => {
          retried = true;
          return jsonResponse(200, { ...deadJob, state: 'queued' });
        },
        'GET /api/jobs/job_3': () => jsonResponse(200, detail(failed)),
        'POST /api/jobs/job_3/cancel': () => jsonResponse(200, { ...failed, state: 'cancelled' }),
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Can I change my address?' }));
    let dialog = within(await screen.findByRole('dialog'));
    await dialog.findByText('gave_up');
    expect(dialog.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith('Job queued to run now'));
    expect(dialog.getAllByTestId('job-state')[0]).toHaveTextContent('Queued');
    expect(paths(fetchMock)).toContain('POST /api/jobs/job_2/retry');
    expect(
      fetchMock.mock.calls.find(([path]) => path === '/api/jobs/job_2/retry')![1]?.headers,
    ).toMatchObject({ 'X-CSRF-Token': 'csrf-123' });

    await userEvent.click(dialog.getAllByRole('button', { name: 'Close' })[0]);
    await userEvent.click(screen.getByRole('button', { name: 'Hello?' }));
    dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(await dialog.findByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith('Job cancelled'));
    expect(paths(fetchMock)).toContain('POST /api/jobs/job_3/cancel');
  });

  it('shows the server’s refusal when the job moved on meanwhile (409)', async () => {
    renderPage({
      handlers: {
        'GET /api/jobs/job_2': () => jsonResponse(200, detail()),
        'POST /api/jobs/job_2/retry': () =>
          jsonResponse(409, { error: { code: 'conflict', message: 'The job is already queued.' } }),
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Can I change my address?' }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(await dialog.findByRole('button', { name: 'Retry' }));
    expect(await dialog.findByText('The job is already queued.')).toBeInTheDocument();
    expect(toast.error).not.toHaveBeenCalled();
  });
});

describe('Retry all matching', () => {
  it('counts the matching failed jobs, asks, then retries them with the filters', async () => {
    const fetchMock = renderPage({
      route: '/operations?state=failed&platform=slack',
      handlers: {
        'GET /api/jobs?state=failed&platform=slack&limit=50': () =>
          jsonResponse(200, page([deadJob], { total: 4, next_cursor: 'cur_2' })),
        'POST /api/jobs/retry': () => jsonResponse(200, { count: 4 }),
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Retry all matching (4 failed jobs)' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByRole('heading', { name: 'Retry 4 failed jobs?' })).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Retry them' }));

    await waitFor(() => expect(toast.success).toHaveBeenCalledWith('4 jobs queued'));
    const call = fetchMock.mock.calls.find(
      ([path, init]) => path === '/api/jobs/retry' && init?.method === 'POST',
    );
    expect(call![1]?.body).toBe('{"state":"failed","platform":"slack"}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('acts on dead jobs when no state is chosen, counting them first', async () => {
    const fetchMock = renderPage({
      handlers: { 'POST /api/jobs/retry': () => jsonResponse(200, { count: 2 }) },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Retry all matching (2 dead jobs)' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Retry them' }));
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith('2 jobs queued'));
    expect(paths(fetchMock)).toContain('GET /api/jobs?state=dead&limit=1');
    const call = fetchMock.mock.calls.find(
      ([path, init]) => path === '/api/jobs/retry' && init?.method === 'POST',
    );
    expect(call![1]?.body).toBe('{"state":"dead"}');
  });

  it('is not offered for states that cannot be retried', async () => {
    renderPage({
      route: '/operations?state=succeeded',
      handlers: { 'GET /api/jobs?state=succeeded&limit=50': () => jsonResponse(200, page([job()])) },
    });
    await screen.findByRole('button', { name: 'Where is my order?' });
    expect(screen.queryByRole('button', { name: /Retry all matching/ })).not.toBeInTheDocument();
  });
});
