// What the caller may do in the current organisation, from GET /api/permissions. The UI hides what
// the role cannot do; the server still checks every request.
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSignedInSession } from '@/features/auth/session';
import { api } from '@/lib/api';

/** Action names of the server's permission table (docs/permissions.md) that the UI asks about. */
export const Action = {
  orgRead: 'org.read',
  orgUpdate: 'org.update',
  orgSecurity: 'org.security',
  orgDelete: 'org.delete',
  membersRead: 'members.read',
  membersManage: 'members.manage',
  ownershipTransfer: 'ownership.transfer',
  invitesRead: 'invites.read',
  invitesManage: 'invites.manage',
  apiKeysRead: 'api_keys.read',
  apiKeysManage: 'api_keys.manage',
  auditRead: 'audit.read',
  botsRead: 'bots.read',
  botsManage: 'bots.manage',
  integrationsRead: 'integrations.read',
  integrationsManage: 'integrations.manage',
  jobsRead: 'jobs.read',
  jobsManage: 'jobs.manage',
  billingRead: 'billing.read',
  billingManage: 'billing.manage',
  analyticsRead: 'analytics.read',
  analyticsExport: 'analytics.export',
  analyticsManage: 'analytics.manage',
} as const;

export type ActionName = (typeof Action)[keyof typeof Action];

export const permissionsKey = (orgId: string) => ['permissions', orgId] as const;

export function usePermissions() {
  const session = useSignedInSession();
  const orgId = session.organization?.id ?? null;
  const query = useQuery({
    queryKey: permissionsKey(orgId ?? 'none'),
    // Asked for this organisation by id: during a switch the session may still be elsewhere.
    queryFn: () => api.permissions.get(orgId ?? undefined),
    staleTime: 60_000,
    // Without an organisation there is nothing to be allowed.
    enabled: orgId !== null,
  });
  const allowed = React.useMemo(() => new Set(query.data?.allowed ?? []), [query.data]);
  // Until the table has loaded (or when it failed), nothing is allowed: hiding a button for a
  // moment is better than showing one the server will refuse.
  const can = React.useCallback((action: ActionName) => allowed.has(action), [allowed]);
  return {
    can,
    role: query.data?.role ?? session.role ?? 'viewer',
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
  };
}
