// The jobs view's filters in the URL query string (shareable).
import { useUrlFilters } from '@/lib/url-filters';
import { JOB_STATES, type JobFilters, type JobState } from '@/lib/api';
import { RETRYABLE_STATES } from '@/features/operations/job-states';

/** In the order the API query is written. */
export const FILTER_NAMES = ['state', 'bot_id', 'platform', 'integration_id', 'q', 'from', 'to'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

export function filtersFromSearch(params: URLSearchParams): JobFilters {
  const filters: JobFilters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name)?.trim();
    if (!value) continue;
    if (name === 'state') {
      if ((JOB_STATES as readonly string[]).includes(value)) filters.state = value as JobState;
    } else {
      filters[name] = value;
    }
  }
  return filters;
}

export function hasFilters(filters: JobFilters): boolean {
  return FILTER_NAMES.some((name) => Boolean(filters[name]));
}

/**
 * The state "Retry all matching" acts on: the filtered state when it can be retried, the server's
 * default (dead) when no state is chosen, none when the chosen state cannot be retried.
 */
export function retryTarget(filters: JobFilters): JobState | null {
  if (!filters.state) return 'dead';
  return RETRYABLE_STATES.includes(filters.state) ? filters.state : null;
}

/** The filters in the URL, and setters that keep every other parameter (the open job, the simulator). */
export function useJobFilters() {
  const { filters, setFilters, clearFilters } = useUrlFilters(FILTER_NAMES, filtersFromSearch, 'replace');
  return { filters, setFilters, clearFilters };
}
