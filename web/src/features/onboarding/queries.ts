// Server state of the getting-started checklist: read from real state, so it is refetched whenever
// the dashboard is shown (and on focus) rather than kept.
import { useQuery } from '@tanstack/react-query';
import { gettingStartedApi } from '@/features/onboarding/api';

export const gettingStartedKey = ['getting-started'] as const;

export function useGettingStarted() {
  return useQuery({
    queryKey: gettingStartedKey,
    queryFn: gettingStartedApi.get,
    staleTime: 0,
    refetchOnMount: 'always',
  });
}
