// Platform administration as server state (platform admins only; others get 403).
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';

export function useAdminOrganizations() {
  return useQuery({
    queryKey: ['admin', 'organizations'],
    queryFn: api.admin.organizations,
    select: (d) => d.items,
  });
}

export function useAdminUsers() {
  return useQuery({ queryKey: ['admin', 'users'], queryFn: api.admin.users, select: (d) => d.items });
}

export function useMailbox() {
  return useQuery({
    queryKey: ['debug', 'mailbox'],
    queryFn: api.debug.mailbox,
    // Newest first, whatever order the server keeps.
    select: (d) => [...d.items].sort((a, b) => b.created_at.localeCompare(a.created_at)),
    staleTime: 5_000,
  });
}
