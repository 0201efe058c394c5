// Server state of bots, their deployments, the AI status and recent conversations.
import { useQuery } from '@tanstack/react-query';
import { api, type BotFilters } from '@/lib/api';

export const botsKey = ['bots'] as const;
export const botsListKey = (filters: BotFilters) => ['bots', 'list', filters] as const;
export const botKey = (botId: string) => ['bots', 'one', botId] as const;
export const deploymentsKey = (botId?: string) => ['deployments', botId ?? 'all'] as const;
export const aiStatusKey = ['ai-status'] as const;
export const conversationsKey = (filters: { bot_id?: string; limit?: number }) =>
  ['conversations', filters] as const;

export function useBots(filters: BotFilters = {}) {
  return useQuery({
    queryKey: botsListKey(filters),
    queryFn: () => api.bots.list(filters),
    select: (list) => list.items,
    placeholderData: (previous) => previous,
  });
}

export function useBot(botId: string) {
  return useQuery({ queryKey: botKey(botId), queryFn: () => api.bots.get(botId) });
}

export function useDeployments(botId?: string) {
  return useQuery({
    queryKey: deploymentsKey(botId),
    queryFn: () => api.deployments.list(botId ? { bot_id: botId } : {}),
    select: (list) => list.items,
  });
}

export function useAiStatus() {
  return useQuery({ queryKey: aiStatusKey, queryFn: api.ai.status, staleTime: 15_000 });
}

export function useConversations(filters: { bot_id?: string; limit?: number } = {}) {
  return useQuery({
    queryKey: conversationsKey(filters),
    queryFn: () => api.conversations.list(filters),
    select: (list) => list.items,
    // Visitors add conversations at any time: fetch afresh on every visit.
    staleTime: 0,
  });
}
