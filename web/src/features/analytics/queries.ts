// Analytics as server state: every panel its own query (one can be gated by the plan or fail while
// the others show), keyed by the organisation and the filters.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useSignedInSession } from '@/features/auth/session';
import {
  analyticsApi,
  type AnalyticsQuery,
  type BreakdownBy,
  type FunnelBy,
  type InsightRun,
} from '@/features/analytics/api';
import { conversationsApi, type ConversationFilters } from '@/features/conversations/api';

export const analyticsKey = ['analytics'] as const;

function useOrgId() {
  return useSignedInSession().organization?.id ?? 'none';
}

// While new filters load, the panels keep the old numbers (dimmed) rather than flashing skeletons.
const panel = { placeholderData: keepPreviousData, staleTime: 60_000 } as const;

export function useOverview(query: AnalyticsQuery) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ['analytics', orgId, 'overview', query],
    queryFn: () => analyticsApi.overview(query),
    ...panel,
  });
}

export function useSeries(query: AnalyticsQuery) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ['analytics', orgId, 'series', query],
    queryFn: () => analyticsApi.series(query),
    ...panel,
  });
}

export function useFunnel(query: AnalyticsQuery, by: FunnelBy) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ['analytics', orgId, 'funnel', query, by],
    queryFn: () => analyticsApi.funnel(query, by),
    ...panel,
  });
}

export function useBreakdown(query: AnalyticsQuery, by: BreakdownBy) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ['analytics', orgId, 'breakdown', query, by],
    queryFn: () => analyticsApi.breakdown(query, by),
    ...panel,
  });
}

export function useUnanswered(query: AnalyticsQuery) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ['analytics', orgId, 'unanswered', query],
    queryFn: () => analyticsApi.unanswered(query, 10),
    ...panel,
  });
}

export const analyticsSettingsKey = (orgId: string) => ['analytics', orgId, 'settings'] as const;

export function useAnalyticsSettings() {
  const orgId = useOrgId();
  return useQuery({ queryKey: analyticsSettingsKey(orgId), queryFn: analyticsApi.settings });
}

export const insightRunsKey = (orgId: string) => ['analytics', orgId, 'insights'] as const;

export function useInsightRuns() {
  const orgId = useOrgId();
  return useInfiniteQuery({
    queryKey: insightRunsKey(orgId),
    queryFn: ({ pageParam }) => analyticsApi.insights.list({ limit: 20, before: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? null,
    staleTime: 0,
  });
}

/** How often a running insight run is asked about again. */
export const INSIGHT_POLL_MS = 1_000;

export function useInsightRun(id: string | null, initial?: InsightRun) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: [...insightRunsKey(orgId), 'one', id],
    queryFn: () => analyticsApi.insights.get(id!),
    enabled: id !== null,
    initialData: initial && initial.id === id ? initial : undefined,
    // Until the run is done or failed.
    refetchInterval: (query) => (query.state.data?.status === 'running' ? INSIGHT_POLL_MS : false),
  });
}

export function useAnalyticsConversations(filters: ConversationFilters, enabled: boolean) {
  const orgId = useOrgId();
  return useInfiniteQuery({
    queryKey: ['analytics', orgId, 'conversations', filters],
    queryFn: ({ pageParam }) => conversationsApi.list(filters, { before: pageParam ?? undefined, limit: 25 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    enabled,
  });
}
