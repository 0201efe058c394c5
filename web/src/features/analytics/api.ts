// Analytics through the one API client (ADR 0037 "API"): overview, series, funnel, breakdowns, the
// unanswered questions, the settings, insight runs, and the CSV export read as a stream.
import { request, toApiError, ApiError } from '@/lib/api';

/** Metric keys (`M` of ADR 0037). */
export const METRIC_KEYS = [
  'conversations',
  'engaged',
  'resolved',
  'converted',
  'handoffs',
  'unique_users',
  'messages_in',
  'messages_out',
  'ai_replies',
  'template_replies',
  'fallback_replies',
  'ai_tokens',
  'ai_cost_micros',
  'first_response_p50_ms',
  'first_response_p90_ms',
  'resolution_rate',
  'handoff_rate',
  'fallback_rate',
  'conversion_rate',
  'ratings',
  'satisfaction_average',
  'satisfaction_response_rate',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** A rate or average with a zero denominator is null, never 0. */
export type MetricValues = Record<MetricKey, number | null>;

export interface AnalyticsRange {
  /** YYYY-MM-DD, inclusive, in `tz`. */
  from: string;
  to: string;
  tz: string;
  /** RFC 3339 (UTC): the range's first instant and the instant after it. */
  start: string;
  end: string;
  granularity: 'hour' | 'day';
  days: number;
}

export interface Overview {
  range: AnalyticsRange;
  previous: AnalyticsRange | null;
  template_scope: 'all' | 'messages';
  metrics: Record<MetricKey, { value: number | null; previous: number | null }>;
  satisfaction: { distribution: number[]; previous_distribution: number[] | null };
}

export interface SeriesPoint {
  label: string;
  start: string;
  metrics: MetricValues;
}

export interface Series {
  range: AnalyticsRange;
  previous: AnalyticsRange | null;
  points: SeriesPoint[];
  previous_points: SeriesPoint[] | null;
}

export type FunnelBy = 'none' | 'platform' | 'bot' | 'deployment';

export interface FunnelStep {
  key: 'first_contact' | 'engaged' | 'resolved' | 'converted' | (string & {});
  label: string;
  count: number;
  drop_off: number;
}

export interface Funnel {
  range: AnalyticsRange;
  segments: { key: string; label: string; steps: FunnelStep[] }[];
}

export type BreakdownBy = 'platform' | 'bot' | 'deployment' | 'template';

export interface Breakdown {
  range: AnalyticsRange;
  by: BreakdownBy;
  /** For `template`, metrics hold only template_replies. */
  rows: { key: string; label: string; metrics: Partial<MetricValues> }[];
}

export interface Unanswered {
  range: AnalyticsRange;
  rows: { question: string; count: number }[];
}

export interface AnalyticsSettings {
  share_transcripts: boolean;
  time_zone: string;
}

export interface InsightItem {
  title: string;
  detail: string;
}

export interface InsightRun {
  id: string;
  status: 'running' | 'done' | 'failed';
  kind: 'ai' | 'heuristic';
  created_at: string;
  finished_at: string | null;
  created_by: string;
  filters: Partial<AnalyticsQuery>;
  model: string | null;
  prompt_version: string;
  transcripts_sent: boolean;
  metrics: Overview['metrics'] | null;
  summary: string | null;
  themes: InsightItem[];
  recommendations: InsightItem[];
  error: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; cost_micros: number } | null;
}

export interface InsightRunPage {
  items: InsightRun[];
  next: string | null;
}

export const PRESETS = ['today', 'yesterday', '7d', '30d', '90d'] as const;
export type Preset = (typeof PRESETS)[number];

/** The query parameters every analytics route and the export share. */
export interface AnalyticsQuery {
  preset?: Preset;
  /** YYYY-MM-DD, with `to`; wins over `preset`. */
  from?: string;
  to?: string;
  tz?: string;
  bot_id?: string;
  platform?: string;
  deployment_id?: string;
  template_id?: string;
}

export type ExportKind = 'conversations' | 'messages' | 'events';

export function analyticsQueryString(params: object): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const q = analyticsQueryString;

export const analyticsApi = {
  overview: (query: AnalyticsQuery) => request<Overview>('GET', `/api/analytics/overview${q(query)}`),
  series: (query: AnalyticsQuery) => request<Series>('GET', `/api/analytics/series${q(query)}`),
  funnel: (query: AnalyticsQuery, by: FunnelBy) =>
    request<Funnel>('GET', `/api/analytics/funnel${q({ ...query, by })}`),
  breakdown: (query: AnalyticsQuery, by: BreakdownBy) =>
    request<Breakdown>('GET', `/api/analytics/breakdown${q({ ...query, by })}`),
  unanswered: (query: AnalyticsQuery, limit = 10) =>
    request<Unanswered>('GET', `/api/analytics/unanswered${q({ ...query, limit })}`),
  settings: () => request<AnalyticsSettings>('GET', '/api/analytics/settings'),
  updateSettings: (changes: { share_transcripts: boolean }) =>
    request<AnalyticsSettings>('PUT', '/api/analytics/settings', changes),
  insights: {
    list: (page: { limit?: number; before?: string } = {}) =>
      request<InsightRunPage>('GET', `/api/analytics/insights${q(page)}`),
    get: (id: string) => request<InsightRun>('GET', `/api/analytics/insights/${encodeURIComponent(id)}`),
    /** 202 with the run (bare, or as `{run}`). */
    start: async (query: AnalyticsQuery) => {
      const answer = await request<InsightRun | { run: InsightRun }>(
        'POST',
        '/api/analytics/insights',
        query,
      );
      return 'run' in answer ? answer.run : answer;
    },
  },
  exportUrl: (kind: ExportKind, query: AnalyticsQuery) => `/api/analytics/export${q({ kind, ...query })}`,
};

/** Counts the CSV records in streamed text, minding quoted cells that hold line breaks. */
export class CsvRowCounter {
  private inQuotes = false;
  private records = 0;
  private pending = false;

  push(text: string) {
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      if (char === '"') this.inQuotes = !this.inQuotes;
      else if (char === '\n' && !this.inQuotes) {
        this.records++;
        this.pending = false;
        continue;
      }
      if (char !== '\r' && char !== '\n') this.pending = true;
    }
  }

  /** Data rows: records without the header; a last record without a line break counts once ended. */
  rows(final = false): number {
    const total = this.records + (final && this.pending ? 1 : 0);
    return Math.max(0, total - 1);
  }
}

/** The file name of `Content-Disposition: attachment; filename="…"`, else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header?.match(/filename="?([^";]+)"?/i);
  return match?.[1] ?? fallback;
}

export interface DownloadedCsv {
  blob: Blob;
  filename: string;
  rows: number;
}

/**
 * GETs an export and reads it as it arrives, reporting the data rows received so far; resolves with
 * the whole file. A refusal (402 plan, 403 role) rejects as an ApiError with the server's words.
 */
export async function downloadCsv(
  url: string,
  onRows: (rows: number) => void,
  signal?: AbortSignal,
): Promise<DownloadedCsv> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'text/csv' }, credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await toApiError(response);
  const filename = attachmentName(response.headers.get('Content-Disposition'), 'export.csv');
  const counter = new CsvRowCounter();
  const chunks: BlobPart[] = [];
  if (response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      counter.push(decoder.decode(value, { stream: true }));
      onRows(counter.rows());
    }
  } else {
    const text = await response.text();
    chunks.push(text);
    counter.push(text);
  }
  const rows = counter.rows(true);
  onRows(rows);
  return { blob: new Blob(chunks, { type: 'text/csv;charset=utf-8' }), filename, rows };
}
