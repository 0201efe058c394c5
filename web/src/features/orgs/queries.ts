// Organisations as server state: the user's list, the current one, and switching between them.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { api, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

export const orgsKey = ['orgs'] as const;
export const orgKey = (orgId: string) => ['org', orgId] as const;

export function useOrganizations() {
  return useQuery({ queryKey: orgsKey, queryFn: api.orgs.list, select: (data) => data.items });
}

export function useOrganization(orgId: string) {
  return useQuery({ queryKey: orgKey(orgId), queryFn: () => api.orgs.get(orgId) });
}

// Not about any organisation: an invitation's preview (refetching a just-used one would answer 404).
const ORG_INDEPENDENT = new Set<unknown>([sessionKey[0], 'invite-preview']);

/**
 * Makes `session` the current one and refetches everything else: every page's data belongs to
 * the organisation the session acts in.
 */
export async function adoptSession(queryClient: QueryClient, session: Session) {
  queryClient.setQueryData(sessionKey, session);
  await queryClient.invalidateQueries({ predicate: (query) => !ORG_INDEPENDENT.has(query.queryKey[0]) });
}

/** After the session's role changed (ownership handed over): refetch everything, the session too. */
export async function reloadSession(queryClient: QueryClient) {
  await queryClient.invalidateQueries();
}

/**
 * After leaving or deleting an organisation: the server has moved the session to another one (or
 * none). Take that session, drop everything cached about the old organisation — asking for it again
 * would only answer 404 — and refetch the rest.
 */
export async function forgetOrganization(queryClient: QueryClient, orgId: string) {
  const session = await api.auth.session();
  queryClient.setQueryData(sessionKey, session);
  queryClient.removeQueries({ predicate: (query) => query.queryKey.includes(orgId) });
  await queryClient.invalidateQueries({ predicate: (query) => !ORG_INDEPENDENT.has(query.queryKey[0]) });
}

export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.auth.switchOrg,
    onSuccess: async (session) => {
      await adoptSession(queryClient, session);
      toast.success(`Switched to ${session.organization?.name ?? 'another organization'}`);
    },
  });
}
