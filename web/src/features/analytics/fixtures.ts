// Analytics answers built whole for tests and screenshots, in the shapes of ADR 0037: each test states
// only the numbers it is about.
import {
  METRIC_KEYS,
  type AnalyticsRange,
  type Breakdown,
  type Funnel,
  type InsightRun,
  type MetricKey,
  type MetricValues,
  type Overview,
  type Series,
  type Unanswered,
} from '@/features/analytics/api';
import type { Conversation } from '@/lib/api';

export function range(overrides: Partial<AnalyticsRange> = {}): AnalyticsRange {
  return {
    from: '2026-11-05',
    to: '2026-12-04',
    tz: 'Europe/Berlin',
    start: '2026-11-04T23:00:00Z',
    end: '2026-12-04T23:00:00Z',
    granularity: 'day',
    days: 30,
    ...overrides,
  };
}

export const previousRange = range({
  from: '2026-10-06',
  to: '2026-11-04',
  start: '2026-10-05T22:00:00Z',
  end: '2026-11-04T23:00:00Z',
});

/** A month of a busy web chat and Telegram bot, and the month before it. */
export const CURRENT: MetricValues = {
  conversations: 120,
  engaged: 84,
  resolved: 66,
  converted: 18,
  handoffs: 12,
  unique_users: 97,
  messages_in: 640,
  messages_out: 655,
  ai_replies: 410,
  template_replies: 200,
  fallback_replies: 45,
  ai_tokens: 912_400,
  ai_cost_micros: 3_104_000,
  first_response_p50_ms: 1_200,
  first_response_p90_ms: 4_800,
  resolution_rate: 0.55,
  handoff_rate: 0.1,
  fallback_rate: 0.0687,
  conversion_rate: 0.15,
  ratings: 40,
  satisfaction_average: 4.2,
  satisfaction_response_rate: 0.62,
};

export const PREVIOUS: MetricValues = {
  conversations: 100,
  engaged: 64,
  resolved: 45,
  converted: 12,
  handoffs: 15,
  unique_users: 88,
  messages_in: 520,
  messages_out: 540,
  ai_replies: 330,
  template_replies: 170,
  fallback_replies: 40,
  ai_tokens: 700_000,
  ai_cost_micros: 2_400_000,
  first_response_p50_ms: 1_500,
  first_response_p90_ms: 4_000,
  resolution_rate: 0.45,
  handoff_rate: 0.15,
  fallback_rate: 0.074,
  conversion_rate: 0.12,
  ratings: 30,
  satisfaction_average: 4.0,
  satisfaction_response_rate: 0.55,
};

export function metricPairs(
  current: Partial<MetricValues> = {},
  previous: Partial<MetricValues> | null = {},
): Overview['metrics'] {
  return Object.fromEntries(
    METRIC_KEYS.map((key) => [
      key,
      {
        value: key in current ? (current[key] ?? null) : CURRENT[key],
        previous: previous === null ? null : key in previous ? (previous[key] ?? null) : PREVIOUS[key],
      },
    ]),
  ) as Overview['metrics'];
}

export function overview(overrides: Partial<Overview> = {}): Overview {
  return {
    range: range(),
    previous: previousRange,
    template_scope: 'all',
    metrics: metricPairs(),
    satisfaction: { distribution: [2, 3, 5, 12, 18], previous_distribution: [3, 4, 5, 9, 9] },
    ...overrides,
  };
}

/** An overview of a range with nothing in it. */
export function emptyOverview(): Overview {
  const zero = Object.fromEntries(
    METRIC_KEYS.map((key) => [
      key,
      key.endsWith('_rate') || key.includes('_p') || key === 'satisfaction_average' ? null : 0,
    ]),
  ) as MetricValues;
  return overview({
    metrics: metricPairs(zero, zero),
    satisfaction: { distribution: [0, 0, 0, 0, 0], previous_distribution: [0, 0, 0, 0, 0] },
  });
}

function dayLabels(days: number, from = '2026-11-05'): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, index) =>
    new Date(start + index * 86_400_000).toISOString().slice(0, 10),
  );
}

function wave(base: number, index: number, spread = 0.3): number {
  return Math.round(base * (1 + spread * Math.sin(index / 2.3) + 0.1 * Math.cos(index * 1.7)));
}

function pointMetrics(index: number, scale: number): MetricValues {
  const metrics = {} as MetricValues;
  for (const key of METRIC_KEYS) {
    const total = CURRENT[key] ?? 0;
    const perDay = /rate|average|_p\d0_ms/.test(key) ? total : total / 30;
    const value = wave(perDay * scale * 1000, index) / 1000;
    metrics[key as MetricKey] = /rate|average/.test(key)
      ? Math.min(key === 'satisfaction_average' ? 5 : 1, value)
      : value;
  }
  return metrics;
}

export function series(days = 30): Series {
  const labels = dayLabels(days);
  const previousLabels = dayLabels(days, '2026-10-06');
  return {
    range: range(),
    previous: previousRange,
    points: labels.map((label, index) => ({
      label,
      start: `${label}T00:00:00Z`,
      metrics: pointMetrics(index, 1),
    })),
    previous_points: previousLabels.map((label, index) => ({
      label,
      start: `${label}T00:00:00Z`,
      metrics: pointMetrics(index + 3, 0.85),
    })),
  };
}

function steps(first: number, engaged: number, resolved: number, converted: number) {
  return [
    { key: 'first_contact', label: 'First contact', count: first, drop_off: 0 },
    { key: 'engaged', label: 'Engaged', count: engaged, drop_off: first - engaged },
    { key: 'resolved', label: 'Resolved', count: resolved, drop_off: engaged - resolved },
    { key: 'converted', label: 'Converted', count: converted, drop_off: resolved - converted },
  ];
}

export function funnel(by: 'none' | 'platform' = 'none'): Funnel {
  return {
    range: range(),
    segments:
      by === 'none'
        ? [{ key: 'all', label: 'All conversations', steps: steps(100, 60, 45, 12) }]
        : [
            { key: 'webchat', label: 'Web chat', steps: steps(70, 50, 40, 11) },
            { key: 'telegram', label: 'Telegram', steps: steps(30, 10, 5, 1) },
          ],
  };
}

export function breakdown(by: 'platform' | 'bot' | 'template'): Breakdown {
  if (by === 'template') {
    return {
      range: range(),
      by,
      rows: [
        { key: 'tpl_1', label: 'Opening hours', metrics: { template_replies: 120 } },
        { key: 'tpl_2', label: 'Shipping costs', metrics: { template_replies: 54 } },
        { key: 'tpl_3', label: 'Returns', metrics: { template_replies: 26 } },
      ],
    };
  }
  const row = (key: string, label: string, share: number, resolution: number) => ({
    key,
    label,
    metrics: {
      conversations: Math.round(120 * share),
      resolution_rate: resolution,
      first_response_p50_ms: 900 + 2000 * (1 - share),
      satisfaction_average: 3.6 + share,
    },
  });
  return {
    range: range(),
    by,
    rows:
      by === 'platform'
        ? [
            row('webchat', 'Web chat', 0.6, 0.61),
            row('telegram', 'Telegram', 0.3, 0.47),
            row('slack', 'Slack', 0.1, 0.42),
          ]
        : [row('bot_1', 'Helper', 0.75, 0.58), row('bot_2', 'Sales assistant', 0.25, 0.46)],
  };
}

export function unanswered(): Unanswered {
  return {
    range: range(),
    rows: [
      { question: 'do you ship to mars', count: 12 },
      { question: 'can i pay with crypto', count: 7 },
      { question: 'where is my order 4711', count: 3 },
    ],
  };
}

export function insightRun(overrides: Partial<InsightRun> = {}): InsightRun {
  return {
    id: 'run_1',
    status: 'done',
    kind: 'ai',
    created_at: '2026-12-01T09:00:00Z',
    finished_at: '2026-12-01T09:00:07Z',
    created_by: 'Ada Lovelace',
    filters: { preset: '30d' },
    model: 'openai/gpt-4o-mini',
    prompt_version: '2026-12-1',
    transcripts_sent: false,
    metrics: metricPairs(PREVIOUS, null),
    summary:
      'Conversations grew while first responses got faster; shipping questions dominate the fallbacks.',
    themes: [
      { title: 'Shipping abroad', detail: 'A third of the fallbacks ask about shipping outside the EU.' },
    ],
    recommendations: [
      { title: 'Add a shipping template', detail: 'Answer “do you ship to …” with a template.' },
    ],
    error: null,
    usage: { prompt_tokens: 1800, completion_tokens: 420, cost_micros: 1_200 },
    ...overrides,
  };
}

export function analyticsConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv_1',
    bot_id: 'bot_1',
    bot_name: 'Helper',
    deployment_id: 'dep_1',
    platform: 'telegram',
    external_user_id: 'tg:42',
    display_name: 'Grace Hopper',
    status: 'ended',
    started_at: '2026-12-03T10:00:00Z',
    last_message_at: '2026-12-03T10:05:00Z',
    first_response_at: '2026-12-03T10:00:01.200Z',
    message_count: 6,
    last_message: 'Thanks, that helps!',
    satisfaction_score: 5,
    resolved_at: '2026-12-03T10:04:00Z',
    resolved_by: 'user',
    converted_at: null,
    first_response_ms: 1_200,
    ...overrides,
  };
}

/** The permission table's answer for a role, with the analytics actions of ADR 0037. */
export function analyticsPermissions(role: 'owner' | 'admin' | 'member' | 'viewer') {
  const allowed = ['bots.read', 'integrations.read', 'analytics.read'];
  if (role !== 'viewer') allowed.push('analytics.export');
  if (role === 'owner' || role === 'admin') allowed.push('analytics.manage', 'billing.read', 'bots.manage');
  return {
    roles: ['owner', 'admin', 'member', 'viewer'],
    actions: [],
    role,
    organization_id: 'org_1',
    allowed,
  };
}
