// The signed-in session as server state: who the user is, their organization and role.
import { useRef } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError, type OrgSession, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

/** How the session is asked for; every observer of sessionKey must share it (TanStack keeps the last one's). */
export const sessionQuery = queryOptions({
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

/** The session, or null when signed out. */
export function useSession() {
  return useQuery(sessionQuery);
}

/**
 * The session inside pages behind RequireAuth, where it is always present. When it ends (a 401
 * sets it to null), a page may render once more before RequireAuth sends the browser to the
 * sign-in page: it gets the session it last had instead of an error.
 */
export function useSignedInSession(): Session {
  const { data } = useSession();
  const last = useRef<Session | null>(null);
  if (data) last.current = data;
  if (!last.current) throw new Error('useSignedInSession is only available behind RequireAuth');
  return last.current;
}

export function hasOrganization(session: Session): session is OrgSession {
  return session.organization !== null && session.role !== null;
}

/** The session inside pages behind RequireOrganization, where it always acts in an organisation. */
export function useCurrentSession(): OrgSession {
  const session = useSignedInSession();
  if (!hasOrganization(session))
    throw new Error('useCurrentSession is only available behind RequireOrganization');
  return session;
}

/** Where to go after signing in: a path on this site, never another origin. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/auth' || next.startsWith('/auth?')) return '/';
  return next;
}
