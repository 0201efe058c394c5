// /analytics: filters kept in the URL and sent to every panel, key numbers with their change, the
// funnel's drop-off, plan gates as upgrade cards, empty and error states, the export's progress, the
// conversations tab, and insight runs followed to the end and compared.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  analyticsConversation,
  emptyOverview,
  insightRun,
  metricPairs,
  overview,
} from '@/features/analytics/fixtures';
import { saveFile } from '@/features/analytics/save-file';
import { featureNotInPlan, renderAnalytics } from '@/features/analytics/test-server';
import { gate, jsonResponse } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));
vi.mock('@/features/analytics/save-file', () => ({ saveFile: vi.fn() }));

beforeEach(() => {
  vi.mocked(toast.success).mockClear();
  vi.mocked(toast.error).mockClear();
  vi.mocked(saveFile).mockClear();
});

describe('Analytics page — overview', () => {
  it('shows each key number with its change, coloured by whether that change is good', async () => {
    renderAnalytics();
    const conversations = await screen.findByRole('group', { name: 'Conversations' });
    expect(within(conversations).getByText('120')).toBeInTheDocument();
    const up = within(conversations).getByText('+20%').closest('[data-tone]');
    expect(up).toHaveAttribute('data-tone', 'good');
    expect(up).toHaveAttribute('data-direction', 'up');

    // A faster first response is down, and good.
    const median = screen.getByRole('group', { name: 'First response (median)' });
    expect(within(median).getByText('1.2 s')).toBeInTheDocument();
    expect(within(median).getByText('−20%').closest('[data-tone]')).toHaveAttribute('data-tone', 'good');
    // A slower p90 is up, and bad.
    const p90 = screen.getByRole('group', { name: 'First response (p90)' });
    expect(within(p90).getByText('+20%').closest('[data-tone]')).toHaveAttribute('data-tone', 'bad');
    // Rates move in points; the handoff rate fell, which is good.
    const handoffs = screen.getByRole('group', { name: 'Handoff rate' });
    expect(within(handoffs).getByText('10%')).toBeInTheDocument();
    expect(within(handoffs).getByText('−5.0 pts').closest('[data-tone]')).toHaveAttribute(
      'data-tone',
      'good',
    );
    expect(within(screen.getByRole('group', { name: 'AI cost' })).getByText('$3.10')).toBeInTheDocument();
    expect(screen.getByText(/days in/)).toHaveTextContent('2026-11-05 – 2026-12-04, days in Europe/Berlin');
  });

  it('says so when a metric has no previous value', async () => {
    renderAnalytics({
      handlers: {
        'GET /api/analytics/overview': () =>
          jsonResponse(200, overview({ metrics: metricPairs({}, { satisfaction_average: null }) })),
      },
    });
    const satisfaction = await screen.findByRole('group', { name: 'Satisfaction' });
    expect(within(satisfaction).getByText('4.2 / 5')).toBeInTheDocument();
    expect(within(satisfaction).getByText('No previous data')).toBeInTheDocument();
  });

  it('keeps the range and filters in the URL and asks every panel with them', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderAnalytics({ route: '/analytics?bot_id=bot_1' });
    await screen.findByRole('group', { name: 'Conversations' });
    expect(calls('/api/analytics/overview')[0].url.searchParams.get('bot_id')).toBe('bot_1');
    expect(calls('/api/analytics/overview')[0].url.searchParams.get('preset')).toBe('30d');

    await user.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() => expect(router.state.location.search).toBe('?bot_id=bot_1&preset=7d'));
    await waitFor(() =>
      expect(calls('/api/analytics/funnel').some(({ url }) => url.searchParams.get('preset') === '7d')).toBe(
        true,
      ),
    );
    for (const path of ['/api/analytics/overview', '/api/analytics/series', '/api/analytics/breakdown']) {
      const last = calls(path).at(-1)!.url.searchParams;
      expect(last.get('preset')).toBe('7d');
      expect(last.get('bot_id')).toBe('bot_1');
    }
    expect(screen.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');

    // A custom range: both dates, then Apply.
    await user.click(screen.getByRole('button', { name: 'Custom' }));
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-11-01');
    const to = screen.getByLabelText('To');
    await user.clear(to);
    await user.type(to, '2026-11-15');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(router.state.location.search).toBe('?bot_id=bot_1&from=2026-11-01&to=2026-11-15'),
    );
    await waitFor(() => {
      const last = calls('/api/analytics/overview').at(-1)!.url.searchParams;
      expect(last.get('from')).toBe('2026-11-01');
      expect(last.get('to')).toBe('2026-11-15');
      expect(last.has('preset')).toBe(false);
    });
  });

  it('draws the chosen metric’s trend and keeps the choice in the URL', async () => {
    const user = userEvent.setup();
    const { router } = renderAnalytics();
    expect(await screen.findByRole('figure', { name: 'Conversations over the range' })).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Trend metric' }), 'first_response_p50_ms');
    expect(
      await screen.findByRole('figure', { name: 'First response (median) over the range' }),
    ).toBeInTheDocument();
    expect(router.state.location.search).toBe('?metric=first_response_p50_ms');
  });

  it('shows the funnel with counts and drop-off, per platform when asked', async () => {
    const user = userEvent.setup();
    const { router } = renderAnalytics();
    const funnel = await screen.findByRole('region', { name: 'Funnel' });
    const steps = await within(funnel).findByRole('list', { name: 'All conversations' });
    const items = within(steps).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'First contact100(100%)',
      'Engaged60(60%)−40 (40%) dropped off',
      'Resolved45(45%)−15 (25%) dropped off',
      'Converted12(12%)−33 (73%) dropped off',
    ]);

    await user.selectOptions(within(funnel).getByRole('combobox', { name: 'Funnel segments' }), 'platform');
    expect(await within(funnel).findByRole('list', { name: 'Telegram' })).toBeInTheDocument();
    expect(within(funnel).getByRole('list', { name: 'Web chat' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?funnel=platform');
  });

  it('shows the breakdowns, the rating distribution, top templates and unanswered questions', async () => {
    renderAnalytics();
    const platforms = await screen.findByRole('table', { name: 'Conversations by platform' });
    expect(within(platforms).getAllByRole('row')[1]).toHaveTextContent('Web chat72');
    expect(await screen.findByRole('table', { name: 'Conversations by bot' })).toHaveTextContent(
      'Sales assistant',
    );
    const ratings = screen.getByRole('list', { name: 'Ratings from 5 to 1' });
    expect(within(ratings).getAllByRole('listitem')[0]).toHaveTextContent('1845%');
    expect(await screen.findByText('Opening hours')).toBeInTheDocument();
    expect(await screen.findByText('do you ship to mars')).toBeInTheDocument();
    expect(screen.getByText('×12')).toBeInTheDocument();
  });

  it('shows an upgrade card, not an error, where the plan stops', async () => {
    renderAnalytics({
      handlers: {
        'GET /api/analytics/funnel': featureNotInPlan,
        'GET /api/analytics/breakdown': featureNotInPlan,
        'GET /api/analytics/unanswered': featureNotInPlan,
      },
    });
    const funnel = await screen.findByRole('region', { name: 'Funnel' });
    const note = await within(funnel).findByRole('note');
    expect(note).toHaveTextContent(
      'Your Free plan does not include advanced analytics. Upgrade on the Billing page.',
    );
    expect(within(note).getByRole('link', { name: 'See plans' })).toHaveAttribute('href', '/billing');
    expect(within(screen.getByRole('region', { name: 'Platforms' })).getByRole('note')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The free panels still show.
    expect(screen.getByRole('group', { name: 'Conversations' })).toBeInTheDocument();
  });

  it('says "No conversations in this range" when the range is empty', async () => {
    renderAnalytics({
      handlers: {
        'GET /api/analytics/overview': () => jsonResponse(200, emptyOverview()),
        'GET /api/analytics/funnel': () =>
          jsonResponse(200, {
            range: overview().range,
            segments: [
              {
                key: 'all',
                label: 'All conversations',
                steps: [{ key: 'first_contact', label: 'First contact', count: 0, drop_off: 0 }],
              },
            ],
          }),
        'GET /api/analytics/breakdown': (url) =>
          jsonResponse(200, { range: overview().range, by: url.searchParams.get('by'), rows: [] }),
      },
    });
    const funnel = await screen.findByRole('region', { name: 'Funnel' });
    expect(await within(funnel).findByText('No conversations in this range')).toBeInTheDocument();
    expect(
      await within(screen.getByRole('region', { name: 'Platforms' })).findByText(
        'No conversations in this range',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('No ratings in this range')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Resolution rate' })).getByText('—')).toBeInTheDocument();
  });

  it('shows a failed panel with Try again, which asks once more', async () => {
    const user = userEvent.setup();
    let fail = true;
    const { calls } = renderAnalytics({
      handlers: {
        'GET /api/analytics/unanswered': () =>
          fail
            ? jsonResponse(422, { error: { code: 'validation_failed', message: 'The range is too long.' } })
            : jsonResponse(200, { range: overview().range, rows: [{ question: 'hello', count: 1 }] }),
      },
    });
    const panel = await screen.findByRole('region', { name: 'Top unanswered questions' });
    const alert = await within(panel).findByRole('alert');
    expect(alert).toHaveTextContent('The range is too long.');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(panel).findByText('hello')).toBeInTheDocument();
    expect(calls('/api/analytics/unanswered')).toHaveLength(2);
  });

  it('tells a role without analytics so', async () => {
    renderAnalytics({
      handlers: {
        'GET /api/analytics/overview': () =>
          jsonResponse(403, { error: { code: 'forbidden', message: 'You are not allowed to do this.' } }),
      },
    });
    expect(await screen.findByText('Your role cannot see analytics')).toBeInTheDocument();
  });
});

describe('Analytics page — export', () => {
  it('streams the CSV with the filters, showing the rows received, then saves it', async () => {
    const user = userEvent.setup();
    const held = gate();
    const encoder = new TextEncoder();
    const { calls } = renderAnalytics({
      route: '/analytics?preset=7d&platform=telegram',
      handlers: {
        'GET /api/analytics/export': () =>
          new Response(
            new ReadableStream<Uint8Array>({
              async start(controller) {
                controller.enqueue(encoder.encode('"conversation_id"\r\n"c1"\r\n"c2"\r\n'));
                await held.promise;
                controller.enqueue(encoder.encode('"c3"\r\n'));
                controller.close();
              },
            }),
            {
              status: 200,
              headers: {
                'Content-Type': 'text/csv; charset=utf-8',
                'Content-Disposition': 'attachment; filename="conversations-2026-11-28-to-2026-12-04.csv"',
              },
            },
          ),
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    await user.click(await screen.findByRole('menuitem', { name: /Conversations \(CSV\)/ }));
    expect(await screen.findByRole('status')).toHaveTextContent('Exporting conversations… 2 rows');
    const url = calls('/api/analytics/export')[0].url.searchParams;
    expect(url.get('kind')).toBe('conversations');
    expect(url.get('preset')).toBe('7d');
    expect(url.get('platform')).toBe('telegram');
    held.open();
    await waitFor(() => expect(saveFile).toHaveBeenCalledTimes(1));
    expect(vi.mocked(saveFile).mock.calls[0][1]).toBe('conversations-2026-11-28-to-2026-12-04.csv');
    expect(toast.success).toHaveBeenCalledWith('Exported 3 rows', expect.anything());
    expect(await screen.findByRole('button', { name: 'Export' })).toBeInTheDocument();
  });

  it('shows the plan’s words in a toast when the plan has no CSV export', async () => {
    const user = userEvent.setup();
    renderAnalytics({
      handlers: {
        'GET /api/analytics/export': () =>
          jsonResponse(402, {
            error: {
              code: 'feature_not_in_plan',
              message: 'x',
              details: { feature: 'csv_export', plan: 'free' },
            },
          }),
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    await user.click(await screen.findByRole('menuitem', { name: /Webhook events/ }));
    await waitFor(() =>
      expect(toast.error).toHaveBeenCalledWith(
        'Your Free plan does not include CSV export. Upgrade on the Billing page.',
        expect.anything(),
      ),
    );
    expect(saveFile).not.toHaveBeenCalled();
  });

  it('offers members only the conversations export, and viewers none', async () => {
    const user = userEvent.setup();
    renderAnalytics({ role: 'member' });
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    expect(await screen.findAllByRole('menuitem')).toHaveLength(1);
  });

  it('shows viewers no export at all', async () => {
    renderAnalytics({ role: 'viewer' });
    await screen.findByRole('group', { name: 'Conversations' });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Export' })).not.toBeInTheDocument());
  });
});

describe('Analytics page — conversations', () => {
  it('lists the range’s conversations with their outcome and opens the transcript', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderAnalytics({
      route: '/analytics?tab=conversations&platform=telegram',
      handlers: {
        'GET /api/conversations': () =>
          jsonResponse(200, {
            items: [
              analyticsConversation(),
              analyticsConversation({
                id: 'conv_2',
                display_name: 'Alan Turing',
                resolved_at: null,
                resolved_by: null,
                satisfaction_score: null,
                converted_at: '2026-12-03T11:00:00Z',
                first_response_ms: null,
                first_response_at: '2026-12-03T10:03:00Z',
              }),
            ],
            next_cursor: null,
          }),
        'GET /api/conversations/conv_1': () =>
          jsonResponse(200, {
            ...analyticsConversation(),
            messages: [
              {
                id: 'msg_1',
                direction: 'in',
                text: 'Where is my parcel?',
                source: null,
                model: null,
                prompt_tokens: null,
                completion_tokens: null,
                latency_ms: null,
                error: null,
                created_at: '2026-12-03T10:00:00Z',
              },
            ],
          }),
      },
    });
    const table = await screen.findByRole('table', { name: 'Conversations in the range' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Grace Hopper');
    expect(rows[1]).toHaveTextContent('1.2 s');
    expect(rows[1]).toHaveTextContent('Yesby the user');
    expect(rows[2]).toHaveTextContent('3 min');
    expect(rows[2]).toHaveTextContent('Converted');
    const asked = calls('/api/conversations')[0].url.searchParams;
    expect(asked.get('platform')).toBe('telegram');
    // Started in the range (ms), not merely active in it.
    expect(asked.get('started_from')).toBe(String(Date.parse('2026-11-04T23:00:00Z')));
    expect(asked.get('started_to')).toBe(String(Date.parse('2026-12-04T23:00:00Z')));
    expect(asked.get('from')).toBeNull();
    expect(asked.get('to')).toBeNull();
    expect(screen.getByText('That is everything.')).toBeInTheDocument();

    await user.click(within(rows[1]).getByRole('button', { name: 'Grace Hopper' }));
    expect(await screen.findByText('Where is my parcel?')).toBeInTheDocument();
    expect(router.state.location.search).toContain('conversation=conv_1');
  });

  it('says "No conversations in this range" when there are none', async () => {
    renderAnalytics({ route: '/analytics?tab=conversations' });
    expect(await screen.findByText('No conversations in this range')).toBeInTheDocument();
  });
});

describe('Analytics page — insights', () => {
  it('runs insights with the filters and follows the run until it is done', async () => {
    const user = userEvent.setup();
    let polls = 0;
    const running = insightRun({
      id: 'run_2',
      status: 'running',
      created_at: new Date().toISOString(),
      finished_at: null,
      summary: null,
      themes: [],
      recommendations: [],
      metrics: null,
    });
    const { calls } = renderAnalytics({
      route: '/analytics?tab=insights&preset=7d&bot_id=bot_1',
      handlers: {
        'POST /api/analytics/insights': () => jsonResponse(202, running),
        'GET /api/analytics/insights/run_2': () =>
          jsonResponse(
            200,
            ++polls < 2
              ? running
              : { ...running, status: 'done', summary: 'Fewer fallbacks this week.', metrics: metricPairs() },
          ),
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Run insights' }));
    expect(await screen.findByText(/Running insights…/)).toBeInTheDocument();
    const body = JSON.parse(String(calls('/api/analytics/insights', 'POST')[0].init?.body));
    expect(body).toEqual({ preset: '7d', bot_id: 'bot_1' });
    expect(await screen.findByText('Fewer fallbacks this week.', {}, { timeout: 6000 })).toBeInTheDocument();
    expect(screen.queryByText(/Running insights…/)).not.toBeInTheDocument();
    expect(polls).toBeGreaterThanOrEqual(2);
  });

  it('labels a heuristic run and compares two runs side by side with the deltas', async () => {
    const user = userEvent.setup();
    renderAnalytics({
      route: '/analytics?tab=insights',
      handlers: {
        'GET /api/analytics/insights': () =>
          jsonResponse(200, {
            items: [
              insightRun({
                id: 'run_2',
                kind: 'heuristic',
                model: null,
                created_at: '2026-12-05T09:00:00Z',
                metrics: metricPairs(),
                summary: 'Top fallbacks: shipping to mars.',
              }),
              insightRun(),
            ],
            next: null,
          }),
      },
    });
    const list = await screen.findByRole('list', { name: 'Insight runs' });
    expect(within(list).getByText('Heuristic — no AI key')).toBeInTheDocument();
    const boxes = within(list).getAllByRole('checkbox');
    const compare = screen.getByRole('button', { name: 'Compare' });
    expect(compare).toBeDisabled();
    await user.click(boxes[0]);
    await user.click(boxes[1]);
    await user.click(compare);
    const comparison = await screen.findByRole('region', { name: 'Comparison of two runs' });
    const row = within(comparison).getByRole('row', { name: /^Conversations/ });
    // Earlier 100, later 120: up 20%, good.
    expect(row).toHaveTextContent('100120+20%');
    expect(within(row).getByText('+20%').closest('[data-tone]')).toHaveAttribute('data-tone', 'good');
    const median = within(comparison).getByRole('row', { name: /First response \(median\)/ });
    expect(within(median).getByText('−20%').closest('[data-tone]')).toHaveAttribute('data-tone', 'good');
    expect(within(comparison).getByText('Top fallbacks: shipping to mars.')).toBeInTheDocument();
  });

  it('lets admins switch transcript sharing and shows members the setting read-only', async () => {
    const user = userEvent.setup();
    const { calls } = renderAnalytics({
      route: '/analytics?tab=insights',
      handlers: {
        'PUT /api/analytics/settings': () =>
          jsonResponse(200, { share_transcripts: true, time_zone: 'Europe/Berlin' }),
      },
    });
    const toggle = await screen.findByRole('switch', { name: 'Share redacted transcripts with the model' });
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-checked', 'true'));
    expect(JSON.parse(String(calls('/api/analytics/settings', 'PUT')[0].init?.body))).toEqual({
      share_transcripts: true,
    });
  });

  it('keeps the switch and the run button from members', async () => {
    renderAnalytics({ role: 'member', route: '/analytics?tab=insights' });
    const toggle = await screen.findByRole('switch', { name: 'Share redacted transcripts with the model' });
    expect(toggle).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Run insights' })).not.toBeInTheDocument();
    expect(screen.getByText('Owners and admins can start a run.')).toBeInTheDocument();
  });

  it('shows an upgrade card when the plan has no insight runs', async () => {
    renderAnalytics({
      route: '/analytics?tab=insights',
      handlers: { 'GET /api/analytics/insights': featureNotInPlan },
    });
    const note = await screen.findByRole('note');
    expect(within(note).getByRole('link', { name: 'See plans' })).toHaveAttribute('href', '/billing');
  });
});
