// A list's filters kept in the URL query string (shareable, and Back steps through them), and the
// RFC 3339 ⇄ datetime-local conversions their time range needs.
import * as React from 'react';
import { useSearchParams } from 'react-router-dom';

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

/**
 * The filters named `names` in the URL, read with `parse`, and setters that keep every other
 * parameter. `history: 'push'` makes each change a history entry of its own; 'replace' does not.
 */
export function useUrlFilters<Name extends string, Filters>(
  names: readonly Name[],
  parse: (params: URLSearchParams) => Filters,
  history: 'push' | 'replace',
) {
  const [params, setParams] = useSearchParams();
  const filters = React.useMemo(() => parse(params), [parse, params]);
  const setFilters = React.useCallback(
    (changes: Partial<Record<Name, string | undefined>>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes) as [string, string | undefined][]) {
            if (value) next.set(name, value);
            else next.delete(name);
          }
          return next;
        },
        { replace: history === 'replace' },
      ),
    [setParams, history],
  );
  const clearFilters = React.useCallback(
    () =>
      setFilters(
        Object.fromEntries(names.map((name) => [name, undefined])) as Partial<Record<Name, undefined>>,
      ),
    [setFilters, names],
  );
  return { params, setParams, filters, setFilters, clearFilters };
}

/**
 * One URL parameter (an open dialog, say) and its setter, keeping every other parameter. With
 * 'push-when-set', setting it adds a history entry (Back clears it again) and clearing replaces.
 */
export function useSearchParam(name: string, history: 'replace' | 'push-when-set' = 'replace') {
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
        { replace: history === 'replace' || !next },
      ),
    [name, setParams, history],
  );
  return [value, setValue] as const;
}
