// The signed-in user's profile and sessions as server state.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';

export const profileKey = ['profile'] as const;

export function useProfile() {
  return useQuery({ queryKey: profileKey, queryFn: api.profile.get });
}

export const sessionsKey = ['auth', 'sessions'] as const;

/** The user's signed-in sessions, this one marked current. */
export function useSessions() {
  return useQuery({ queryKey: sessionsKey, queryFn: api.auth.sessions });
}
