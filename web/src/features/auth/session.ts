// The signed-in session as server state: who the user is, their organization and role.
import { useQuery } from '@tanstack/react-query';
import { api, isApiError, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

/** The session, or null when signed out. */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<Session | null> => {
      try {
        return await api.auth.session();
      } catch (error) {
        if (isApiError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

/** The session inside pages behind RequireAuth, where it is always present. */
export function useCurrentSession(): Session {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentSession is only available behind RequireAuth');
  return data;
}

/** Where to go after signing in: a path on this site, never another origin. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/auth' || next.startsWith('/auth?')) return '/';
  return next;
}
