// Server state of the Conversations page: pages of the filtered list, newest activity first.
import { useInfiniteQuery } from '@tanstack/react-query';
import { conversationsApi, type ConversationFilters } from '@/features/conversations/api';

export const CONVERSATIONS_PAGE_SIZE = 25;

export const conversationListKey = (filters: ConversationFilters) =>
  ['conversations', 'list', filters] as const;

export function useConversationList(filters: ConversationFilters) {
  return useInfiniteQuery({
    queryKey: conversationListKey(filters),
    queryFn: ({ pageParam }) =>
      conversationsApi.list(filters, { before: pageParam ?? undefined, limit: CONVERSATIONS_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    // Visitors add conversations at any time: fetch afresh on every visit.
    staleTime: 0,
  });
}
