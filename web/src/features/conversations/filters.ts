// The Conversations page's filters in the URL query string, under the API's own parameter names, so a
// filtered list can be shared and the back button steps through earlier filters.
import type { ConversationFilters } from '@/features/conversations/api';
import { useSearchParam, useUrlFilters } from '@/lib/url-filters';

/** In the order the API query is written. */
export const FILTER_NAMES = [
  'q',
  'user',
  'bot_id',
  'platform',
  'deployment_id',
  'status',
  'resolved',
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
  // Each change is a history entry of its own, so Back returns to the previous filters.
  const { filters, setFilters, clearFilters } = useUrlFilters(FILTER_NAMES, filtersFromSearch, 'push');
  // Opening adds a history entry (Back closes the transcript); closing replaces it.
  const [openId, setOpenId] = useSearchParam(OPEN_PARAM, 'push-when-set');
  return { filters, setFilters, clearFilters, openId, setOpenId };
}
