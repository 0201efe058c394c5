// Server state of platform accounts: the platforms' schemas, the organisation's integrations, and
// keeping every copy of an integration fresh after a change.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, type Integration, type List } from '@/lib/api';

export const platformsKey = ['integration-platforms'] as const;
export const integrationsKey = ['integrations'] as const;
export const integrationsListKey = (filters: { platform?: string }) =>
  ['integrations', 'list', filters] as const;

export function useIntegrationPlatforms() {
  // The schema changes only with a server release.
  return useQuery({
    queryKey: platformsKey,
    queryFn: api.integrations.platforms,
    select: (list) => list.items,
    staleTime: 10 * 60_000,
  });
}

/** Whether platforms can reach the public base URL: from the same answer as the platforms. */
export function usePublicBaseUrl() {
  return useQuery({
    queryKey: platformsKey,
    queryFn: api.integrations.platforms,
    select: (list) => list.public_base_url ?? null,
    staleTime: 10 * 60_000,
  });
}

export function useIntegrations(filters: { platform?: string } = {}) {
  return useQuery({
    queryKey: integrationsListKey(filters),
    queryFn: () => api.integrations.list(filters),
    select: (list) => list.items,
  });
}

/**
 * Puts the server's latest copy of an integration into every cached list at once (so a verify
 * shows its result without waiting), then refetches lists and deployments, which show its status.
 */
export async function storeIntegration(queryClient: QueryClient, integration: Integration) {
  queryClient.setQueriesData<List<Integration>>({ queryKey: integrationsKey }, (list) =>
    list
      ? { ...list, items: list.items.map((item) => (item.id === integration.id ? integration : item)) }
      : list,
  );
  await refreshIntegrations(queryClient);
}

export async function refreshIntegrations(queryClient: QueryClient) {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: integrationsKey }),
    queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  ]);
}
