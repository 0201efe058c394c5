// The Analytics page's filters in the URL under the API's own parameter names (a filtered dashboard
// can be shared, and Back steps through earlier filters), and the labels of the range presets.
import { PRESETS, type AnalyticsQuery, type Preset } from '@/features/analytics/api';
import { useUrlFilters } from '@/lib/url-filters';

export const ANALYTICS_FILTER_NAMES = [
  'preset',
  'from',
  'to',
  'bot_id',
  'platform',
  'deployment_id',
  'template_id',
] as const satisfies readonly (keyof AnalyticsQuery)[];
export type AnalyticsFilterName = (typeof ANALYTICS_FILTER_NAMES)[number];

export const DEFAULT_PRESET: Preset = '30d';

export const PRESET_LABELS: Record<Preset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The query the URL holds. A custom range needs both dates; otherwise the preset (default 30 days).
 * Other values are passed on as they are: one the server refuses comes back as a 422 naming it.
 */
export function analyticsQueryFromSearch(params: URLSearchParams): AnalyticsQuery {
  const query: AnalyticsQuery = {};
  const from = params.get('from')?.trim();
  const to = params.get('to')?.trim();
  if (from && to && DATE.test(from) && DATE.test(to)) {
    query.from = from;
    query.to = to;
  } else {
    const preset = params.get('preset')?.trim();
    query.preset = PRESETS.includes(preset as Preset) ? (preset as Preset) : DEFAULT_PRESET;
  }
  for (const name of ['bot_id', 'platform', 'deployment_id', 'template_id'] as const) {
    const value = params.get(name)?.trim();
    if (value) query[name] = value;
  }
  return query;
}

/** Whether a filter other than the time range narrows the numbers. */
export function hasSegmentFilters(query: AnalyticsQuery): boolean {
  return Boolean(query.bot_id || query.platform || query.deployment_id || query.template_id);
}

export function useAnalyticsFilters() {
  return useUrlFilters(ANALYTICS_FILTER_NAMES, analyticsQueryFromSearch, 'push');
}
