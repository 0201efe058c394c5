// What each analytics metric is called, how its numbers are written ("1.2 s", "42%", "$3.10") and
// which direction of change is good news (a shorter first response is; a higher handoff rate is not).
import type { MetricKey } from '@/features/analytics/api';
import { formatDuration } from '@/lib/utils';

type Kind = 'count' | 'duration' | 'rate' | 'score' | 'cost';
/** 'up': more is better; 'down': less is better; 'neutral': neither (shown grey). */
type Better = 'up' | 'down' | 'neutral';

interface MetricMeta {
  label: string;
  kind: Kind;
  better: Better;
}

export const METRICS: Record<MetricKey, MetricMeta> = {
  conversations: { label: 'Conversations', kind: 'count', better: 'up' },
  engaged: { label: 'Engaged', kind: 'count', better: 'up' },
  resolved: { label: 'Resolved', kind: 'count', better: 'up' },
  converted: { label: 'Converted', kind: 'count', better: 'up' },
  handoffs: { label: 'Handoffs', kind: 'count', better: 'down' },
  unique_users: { label: 'Unique users', kind: 'count', better: 'up' },
  messages_in: { label: 'Messages in', kind: 'count', better: 'up' },
  messages_out: { label: 'Messages out', kind: 'count', better: 'neutral' },
  ai_replies: { label: 'AI replies', kind: 'count', better: 'neutral' },
  template_replies: { label: 'Template replies', kind: 'count', better: 'neutral' },
  fallback_replies: { label: 'Fallback replies', kind: 'count', better: 'down' },
  ai_tokens: { label: 'AI tokens', kind: 'count', better: 'neutral' },
  ai_cost_micros: { label: 'AI cost', kind: 'cost', better: 'down' },
  first_response_p50_ms: { label: 'First response (median)', kind: 'duration', better: 'down' },
  first_response_p90_ms: { label: 'First response (p90)', kind: 'duration', better: 'down' },
  resolution_rate: { label: 'Resolution rate', kind: 'rate', better: 'up' },
  handoff_rate: { label: 'Handoff rate', kind: 'rate', better: 'down' },
  fallback_rate: { label: 'Fallback rate', kind: 'rate', better: 'down' },
  conversion_rate: { label: 'Conversion rate', kind: 'rate', better: 'up' },
  ratings: { label: 'Ratings', kind: 'count', better: 'up' },
  satisfaction_average: { label: 'Satisfaction', kind: 'score', better: 'up' },
  satisfaction_response_rate: { label: 'Rating response rate', kind: 'rate', better: 'up' },
};

/** The metrics the trend chart offers, most asked-about first. */
export const TREND_METRICS: MetricKey[] = [
  'conversations',
  'unique_users',
  'messages_in',
  'messages_out',
  'first_response_p50_ms',
  'first_response_p90_ms',
  'resolution_rate',
  'handoff_rate',
  'fallback_rate',
  'conversion_rate',
  'satisfaction_average',
  'ai_tokens',
  'ai_cost_micros',
];

const count = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 0.4213 → "42.1%"; whole numbers lose the ".0". */
export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  const text = Math.abs(percent) >= 10 || Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1);
  return `${text}%`;
}

/** Micro-dollars → "$3.10"; below a cent "$0.0042". */
export function formatCost(micros: number): string {
  const dollars = micros / 1_000_000;
  if (dollars !== 0 && Math.abs(dollars) < 0.01) return `$${dollars.toPrecision(2)}`;
  return `$${dollars.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A metric's value as people read it; null (nothing to measure) is "—". */
export function formatMetric(key: MetricKey, value: number | null | undefined, short = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (METRICS[key].kind) {
    case 'duration':
      return formatDuration(value);
    case 'rate':
      return formatPercent(value);
    case 'score':
      return `${value.toFixed(1)} / 5`;
    case 'cost':
      return formatCost(value);
    default:
      return short && value >= 10_000 ? compact.format(value) : count.format(value);
  }
}

export interface Change {
  direction: 'up' | 'down' | 'flat';
  /** "+12%", "−3.5 pts" (rates change in percentage points). */
  text: string;
  tone: 'good' | 'bad' | 'neutral';
  /** For screen readers: "up 12% from 100 in the previous period". */
  description: string;
}

/** The change against the previous period, or null when there is nothing to compare with. */
export function metricChange(
  key: MetricKey,
  value: number | null | undefined,
  previous: number | null | undefined,
): Change | null {
  if (value === null || value === undefined || previous === null || previous === undefined) return null;
  const meta = METRICS[key];
  let amount: number;
  let text: string;
  if (meta.kind === 'rate') {
    amount = (value - previous) * 100;
    text = `${Math.abs(amount) < 10 ? Math.abs(amount).toFixed(1) : Math.abs(amount).toFixed(0)} pts`;
  } else {
    if (previous === 0) {
      if (value === 0) amount = 0;
      else return null;
    } else amount = ((value - previous) / Math.abs(previous)) * 100;
    text = `${Math.abs(amount) < 10 ? Math.abs(amount).toFixed(1) : Math.abs(amount).toFixed(0)}%`;
  }
  const rounded = Number(text.replace(/[^0-9.]/g, ''));
  const direction = rounded === 0 ? 'flat' : amount > 0 ? 'up' : 'down';
  const tone =
    direction === 'flat' || meta.better === 'neutral'
      ? 'neutral'
      : direction === meta.better
        ? 'good'
        : 'bad';
  const signed = direction === 'flat' ? text : `${direction === 'up' ? '+' : '−'}${text}`;
  const description =
    direction === 'flat'
      ? `unchanged from ${formatMetric(key, previous)} in the previous period`
      : `${direction} ${text} from ${formatMetric(key, previous)} in the previous period`;
  return { direction, text: signed, tone, description };
}
