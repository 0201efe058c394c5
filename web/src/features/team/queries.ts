// Members and invitations of an organisation as server state.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';

export const membersKey = (orgId: string) => ['members', orgId] as const;
export const invitesKey = (orgId: string) => ['invites', orgId] as const;

export function useMembers(orgId: string) {
  return useQuery({
    queryKey: membersKey(orgId),
    queryFn: () => api.members.list(orgId),
    select: (data) => data.items,
    // Others change the team too (an invitation accepted, a member leaving): refetch on every visit.
    staleTime: 0,
  });
}

export function useInvites(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: invitesKey(orgId),
    queryFn: () => api.invites.list(orgId),
    select: (data) => data.items,
    staleTime: 0,
    enabled,
  });
}
