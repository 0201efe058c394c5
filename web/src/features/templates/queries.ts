// Server state of response templates.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';

export const templatesKey = ['templates'] as const;
export const templatesListKey = (filters: { q?: string; category?: string }) =>
  ['templates', 'list', filters] as const;

export function useTemplates(filters: { q?: string; category?: string } = {}) {
  return useQuery({
    queryKey: templatesListKey(filters),
    queryFn: () => api.templates.list(filters),
    select: (list) => list.items,
    placeholderData: (previous) => previous,
  });
}
