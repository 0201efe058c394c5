// The platform health report from GET /api/debug (platform admins only).
import { useQuery } from '@tanstack/react-query';
import { api, type CheckStatus, type DebugReport } from '@/lib/api';

const debugKey = ['debug'] as const;

export function useDebugReport() {
  return useQuery({ queryKey: debugKey, queryFn: api.debug.get, staleTime: 10_000 });
}

const SEVERITY: Record<CheckStatus, number> = { green: 0, amber: 1, red: 2 };

/** The worst status among the checks, or null when there are none. */
export function overallStatus(checks: DebugReport['checks']): CheckStatus | null {
  return checks.reduce<CheckStatus | null>(
    (worst, check) => (worst === null || SEVERITY[check.status] > SEVERITY[worst] ? check.status : worst),
    null,
  );
}
