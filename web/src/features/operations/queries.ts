// Server state of reply jobs: live stats, pages of jobs, one job polled while it runs, and the actions.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, type Job, type JobDetail, type JobFilters, type JobState } from '@/lib/api';
import { ACTIVE_STATES, FINAL_STATES } from '@/features/operations/job-states';

export const jobsKey = ['jobs'] as const;
export const jobStatsKey = ['jobs', 'stats'] as const;
export const jobListKey = (filters: JobFilters) => ['jobs', 'list', filters] as const;
export const jobCountKey = (filters: JobFilters) => ['jobs', 'count', filters] as const;
export const jobKey = (jobId: string) => ['jobs', 'one', jobId] as const;
export const webhookEventKey = (eventId: string) => ['webhook-events', eventId] as const;

export const JOBS_PAGE_SIZE = 50;
export const STATS_REFRESH_MS = 5_000;

/**
 * Polling stops on a refusal (4xx), which asking again will not change, and on a failure before any
 * answer: refetching would swap the error for a skeleton every few seconds. "Try again" restarts it.
 */
const stopPolling = (query: { state: { error: unknown; data: unknown; status: string } }) =>
  (isApiError(query.state.error) && query.state.error.status > 0 && query.state.error.status < 500) ||
  (query.state.status === 'error' && query.state.data === undefined);

export function useJobStats() {
  return useQuery({
    queryKey: jobStatsKey,
    queryFn: api.jobs.stats,
    // TanStack Query skips interval refetches while the tab is hidden (refetchIntervalInBackground).
    refetchInterval: (query) => (stopPolling(query) ? false : STATS_REFRESH_MS),
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
}

export function useJobs(filters: JobFilters) {
  return useInfiniteQuery({
    queryKey: jobListKey(filters),
    queryFn: ({ pageParam }) =>
      api.jobs.list({ ...filters, limit: JOBS_PAGE_SIZE, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    staleTime: 0,
    // The table follows the live counts: new deliveries and finished jobs show up on their own.
    refetchInterval: (query) => (stopPolling(query) ? false : STATS_REFRESH_MS),
    refetchIntervalInBackground: false,
  });
}

/** How many jobs in `state` match the filters (the list's `total` of a one-row page). */
export function useJobCount(filters: JobFilters, state: JobState | null, enabled: boolean) {
  const counted = { ...filters, state: state ?? undefined };
  return useQuery({
    queryKey: jobCountKey(counted),
    queryFn: () => api.jobs.list({ ...counted, limit: 1 }),
    select: (page) => page.total,
    enabled: enabled && state !== null,
    staleTime: 0,
  });
}

/**
 * One job with its logs and event. `watch` polls it: "active" while a worker has it or will soon
 * (the drawer), "until-final" until it succeeds, dies or is cancelled (the simulator).
 */
export function useJob(
  jobId: string | null,
  { watch, everyMs }: { watch: 'active' | 'until-final'; everyMs: number },
) {
  return useQuery({
    queryKey: jobKey(jobId ?? ''),
    queryFn: () => api.jobs.get(jobId!),
    enabled: jobId !== null,
    staleTime: 0,
    refetchInterval: (query) => {
      if (stopPolling(query)) return false;
      const state = query.state.data?.state;
      if (!state) return everyMs;
      const watching = watch === 'active' ? ACTIVE_STATES.includes(state) : !FINAL_STATES.includes(state);
      return watching ? everyMs : false;
    },
  });
}

export function useWebhookEvent(eventId: string | null) {
  return useQuery({
    queryKey: webhookEventKey(eventId ?? ''),
    queryFn: () => api.webhookEvents.get(eventId!),
    enabled: eventId !== null,
    staleTime: 60_000,
  });
}

/** Retry, cancel, resend or discard one job; the dialog shows the server's refusal (409) itself. */
export function useJobAction(action: 'retry' | 'cancel' | 'resend' | 'discard') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => api.jobs[action](jobId),
    meta: { inlineError: true },
    onSuccess: async (job: Job) => {
      queryClient.setQueryData<JobDetail>(jobKey(job.id), (old) => (old ? { ...old, ...job } : old));
      await queryClient.invalidateQueries({ queryKey: jobsKey });
    },
    // A 409 means someone else moved the job meanwhile: show where it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: jobsKey }),
  });
}

export function useRetryMatching() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (filters: JobFilters) => api.jobs.retryMatching(filters),
    meta: { inlineError: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobsKey }),
  });
}

export function useSimulate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      integrationId,
      ...input
    }: {
      integrationId: string;
      text: string;
      external_user_id?: string;
    }) => api.integrations.simulate(integrationId, input),
    meta: { inlineError: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobsKey }),
  });
}
