// API keys of an organisation as server state.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';

export const apiKeysKey = (orgId: string) => ['api-keys', orgId] as const;

export function useApiKeys(orgId: string) {
  return useQuery({
    queryKey: apiKeysKey(orgId),
    queryFn: () => api.apiKeys.list(orgId),
    select: (data) => data.items,
  });
}
