// The Conversations page's filters in the URL query string, under the API's own parameter names, so a
// filtered list can be shared and the back button steps through earlier filters.
import * as React from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ConversationFilters } from '@/features/conversations/api';

/** In the order the API query is written. */
export const FILTER_NAMES = [
  'q',
  'user',
  'bot_id',
  'platform',
  'deployment_id',
  'status',
  'from',
  'to',
] as const satisfies readonly (keyof ConversationFilters)[];
export type FilterName = (typeof FILTER_NAMES)[number];

/** The URL parameter of the conversation shown in the transcript dialog. */
export const OPEN_PARAM = 'conversation';

/**
 * The filters the URL holds. Values are passed on as they are (trimmed): one the server refuses, such
 * as a misspelt platform in a hand-edited link, comes back as a 422 naming it, rather than being
 * dropped here so that the list silently shows everything.
 */
export function filtersFromSearch(params: URLSearchParams): ConversationFilters {
  const filters: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters as ConversationFilters;
}

export function hasFilters(filters: ConversationFilters): boolean {
  return FILTER_NAMES.some((name) => Boolean(filters[name]));
}

export function useConversationFilters() {
  const [params, setParams] = useSearchParams();
  const filters = React.useMemo(() => filtersFromSearch(params), [params]);
  // Each change is a history entry of its own, so Back returns to the previous filters.
  const setFilters = React.useCallback(
    (changes: Partial<Record<FilterName, string | undefined>>) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      }),
    [setParams],
  );
  const clearFilters = React.useCallback(
    () => setFilters(Object.fromEntries(FILTER_NAMES.map((name) => [name, undefined]))),
    [setFilters],
  );
  const openId = params.get(OPEN_PARAM);
  // Opening adds a history entry (Back closes the transcript); closing replaces it.
  const setOpenId = React.useCallback(
    (id: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (id) next.set(OPEN_PARAM, id);
          else next.delete(OPEN_PARAM);
          return next;
        },
        { replace: id === null },
      ),
    [setParams],
  );
  return { filters, setFilters, clearFilters, openId, setOpenId };
}
