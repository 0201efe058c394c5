// The signed-in user's profile as server state.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';

export const profileKey = ['profile'] as const;

export function useProfile() {
  return useQuery({ queryKey: profileKey, queryFn: api.profile.get });
}
