// The account's two-factor state as server state, and what changes when it is turned on or off.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { twoFactorApi } from '@/features/two-factor/api';
import { sessionKey } from '@/lib/query-client';

export const twoFactorKey = ['two-factor'] as const;

export function useTwoFactorStatus() {
  return useQuery({ queryKey: twoFactorKey, queryFn: twoFactorApi.status });
}

/**
 * After turning it on or off, or a new set of recovery codes: the status, and the session (it says
 * whether two-factor is on and whether the organisation still waits for it).
 */
export async function refreshTwoFactor(queryClient: QueryClient) {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: twoFactorKey }),
    queryClient.invalidateQueries({ queryKey: sessionKey }),
  ]);
}
