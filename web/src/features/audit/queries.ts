// The audit log as server state: pages of events, newest first, fetched with the `before` cursor.
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type AuditFilters } from '@/lib/api';

export const auditKey = (orgId: string, filters: AuditFilters) => ['audit', orgId, filters] as const;

export const AUDIT_PAGE_SIZE = 50;

export function useAuditLog(orgId: string, filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKey(orgId, filters),
    queryFn: ({ pageParam }) =>
      api.audit.list(orgId, { ...filters, limit: AUDIT_PAGE_SIZE, before: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_before ?? null,
  });
}

/** The start of a local calendar day (yyyy-mm-dd) as RFC 3339, for `from`. */
export function startOfDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year, month - 1, day).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The last second of a local calendar day as RFC 3339, for `to`. */
export function endOfDayInclusive(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year, month - 1, day, 23, 59, 59).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
