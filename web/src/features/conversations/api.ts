// The organisation's conversations through the one API client: GET /api/conversations with its
// filters and cursor (see docs/api.md), and one conversation with its messages.
import { api, request, type Conversation } from '@/lib/api';

/** The query parameters of GET /api/conversations that narrow the list; the URL uses the same names. */
export interface ConversationFilters {
  q?: string;
  user?: string;
  bot_id?: string;
  platform?: string;
  deployment_id?: string;
  status?: 'open' | 'ended';
  /** RFC 3339: conversations active at or after this time. */
  from?: string;
  /** RFC 3339: conversations started at or before this time. */
  to?: string;
  /** Resolved (`true`) or not yet (`false`). */
  resolved?: 'true' | 'false';
  /** Milliseconds since 1970: conversations started at or after this time. */
  started_from?: number;
  /** Milliseconds since 1970: conversations started before this time (excluded). */
  started_to?: number;
}

export interface ConversationPage {
  items: Conversation[];
  /** Give as `before` for the next page; null on the last one. */
  next_cursor: string | null;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const conversationsApi = {
  list: (filters: ConversationFilters, page: { before?: string; limit?: number } = {}) =>
    request<ConversationPage>('GET', `/api/conversations${query({ ...filters, ...page })}`),
  get: api.conversations.get,
};
