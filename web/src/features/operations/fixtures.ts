// Test data in the shapes of docs/api.md (Messages: webhook events and reply jobs).
import type { Job, JobDetail, JobLog, JobPage, JobStats } from '@/lib/api';

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job_1',
    state: 'succeeded',
    platform: 'telegram',
    integration_id: 'int_1',
    integration_name: 'Shop bot',
    bot_id: 'bot_1',
    bot_name: 'Support',
    event_id: 'evt_1',
    external_user_id: '4242',
    external_message_id: '77',
    inbound_text: 'Where is my order?',
    reply_text: 'It ships tomorrow.',
    reply_source: 'ai',
    platform_message_id: 'tg_901',
    attempts: 1,
    max_attempts: 5,
    next_run_at: null,
    last_error: null,
    reason_kind: null,
    created_at: '2026-11-25T19:40:00Z',
    updated_at: '2026-11-25T19:40:02Z',
    finished_at: '2026-11-25T19:40:02Z',
    latency_ms: 1840,
    ...overrides,
  };
}

export const deadJob = job({
  id: 'job_2',
  state: 'dead',
  platform: 'slack',
  integration_id: 'int_3',
  integration_name: 'Team workspace',
  event_id: 'evt_2',
  external_user_id: 'U123',
  inbound_text: 'Can I change my address?',
  reply_text: 'Yes: reply with the new one.',
  platform_message_id: null,
  attempts: 5,
  last_error: 'Slack answered 500 Internal Server Error',
  reason_kind: 'unavailable',
  finished_at: '2026-11-25T19:50:00Z',
  latency_ms: null,
});

export function page(items: Job[], overrides: Partial<JobPage> = {}): JobPage {
  return { items, total: items.length, next_cursor: null, ...overrides };
}

export const logs: JobLog[] = [
  {
    at: '2026-11-25T19:40:00Z',
    worker: 'serve-1/w2',
    kind: 'state',
    from_state: 'queued',
    to_state: 'processing',
    outcome: 'claimed',
    http_status: null,
    latency_ms: null,
    error: null,
  },
  {
    at: '2026-11-25T19:40:01Z',
    worker: 'serve-1/w2',
    kind: 'attempt',
    from_state: null,
    to_state: null,
    outcome: 'platform_error',
    http_status: 500,
    latency_ms: 312,
    error: 'Slack answered 500 Internal Server Error',
  },
  {
    at: '2026-11-25T19:40:01Z',
    worker: 'serve-1/w2',
    kind: 'state',
    from_state: 'processing',
    to_state: 'dead',
    outcome: 'gave_up',
    http_status: null,
    latency_ms: null,
    error: null,
  },
];

export function detail(base: Job = deadJob, overrides: Partial<JobDetail> = {}): JobDetail {
  return {
    ...base,
    logs,
    event: {
      id: base.event_id,
      platform: base.platform,
      integration_id: base.integration_id,
      idempotency_key: 'slack:Ev0001',
      kind: 'message',
      status: 'accepted',
      payload_hash: 'sha256:ab12',
      received_at: base.created_at,
      payload: JSON.stringify({ token: '****', event: { type: 'message', text: base.inbound_text } }),
    },
    ...overrides,
  };
}

export const stats: JobStats = {
  counts: { queued: 3, processing: 1, succeeded: 1280, failed: 4, dead: 2, cancelled: 0, skipped: 0, in_doubt: 0 },
  last_hour: {
    received: 150,
    succeeded: 141,
    failed: 6,
    dead: 1,
    p50_ms: 850,
    p95_ms: 4200,
    per_minute: [
      { minute: '2026-11-25T19:39:00Z', received: 3, succeeded: 3, failed: 0 },
      { minute: '2026-11-25T19:40:00Z', received: 5, succeeded: 4, failed: 1 },
    ],
  },
};
