// Recovery as server state: what a reset link is for, and the session after the address changes.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { recoveryApi } from '@/features/recovery/api';
import type { Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

export const passwordResetKey = (token: string) => ['password-reset', token] as const;

/** The reset link's account; not asked again, since every answer but the first may differ only by use. */
export function usePasswordResetLink(token: string) {
  return useQuery({
    queryKey: passwordResetKey(token),
    queryFn: () => recoveryApi.checkPasswordReset(token),
    enabled: token !== '',
    staleTime: Infinity,
  });
}

/**
 * This browser is signed in with a new session (after a password reset): forget what was cached for
 * whoever used it before, and take the session.
 */
export function adoptNewSession(queryClient: QueryClient, session: Session) {
  queryClient.removeQueries({ type: 'inactive' });
  queryClient.setQueryData(sessionKey, session);
}
