// The jobs view's filters in the URL query string (shareable), and RFC 3339 ⇄ datetime-local conversions.
import * as React from 'react';
import { useSearchParams } from 'react-router-dom';
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

/** RFC 3339 (UTC) → the value of a datetime-local input in the browser's time zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time) → RFC 3339 in UTC, without milliseconds. */
export function fromLocalInput(local: string): string {
  if (!local) return '';
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The filters in the URL, and setters that keep every other parameter (the open job, the simulator). */
export function useJobFilters() {
  const [params, setParams] = useSearchParams();
  const filters = React.useMemo(() => filtersFromSearch(params), [params]);
  const setFilters = React.useCallback(
    (changes: Partial<Record<FilterName, string | undefined>>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (value) next.set(name, value);
            else next.delete(name);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const clearFilters = React.useCallback(
    () => setFilters(Object.fromEntries(FILTER_NAMES.map((name) => [name, undefined]))),
    [setFilters],
  );
  return { filters, setFilters, clearFilters };
}

/** One URL parameter that is not a filter (e.g. `job`, `simulate`), with a setter that keeps the rest. */
export function useSearchParam(name: string) {
  const [params, setParams] = useSearchParams();
  const value = params.get(name);
  const setValue = React.useCallback(
    (next: string | null) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next) updated.set(name, next);
          else updated.delete(name);
          return updated;
        },
        { replace: true },
      ),
    [name, setParams],
  );
  return [value, setValue] as const;
}
