// Billing as server state: the organisation's plan and usage, the plan cards and the invoices. Only
// owners and admins may read billing (billing.read): the hooks ask the server only for them.
import { useQuery } from '@tanstack/react-query';
import { useSignedInSession } from '@/features/auth/session';
import { billingApi, type BillingOverview } from '@/features/billing/api';
import { Action, usePermissions } from '@/features/permissions/queries';

/** Every billing query starts with this; a 402 anywhere refreshes them (lib/query-client.ts). */
export const billingKey = ['billing'] as const;
export const billingOverviewKey = (orgId: string) => ['billing', 'overview', orgId] as const;
export const billingPlansKey = ['billing', 'plans'] as const;
export const billingRetentionKey = (orgId: string) => ['billing', 'retention', orgId] as const;
export const billingInvoicesKey = (orgId: string) => ['billing', 'invoices', orgId] as const;

/** Whether this person may see the organisation's billing (owners and admins). */
export function useCanReadBilling() {
  const { can, isPending } = usePermissions();
  return { canRead: can(Action.billingRead), canManage: can(Action.billingManage), isPending };
}

export function useBillingOverview(
  options: {
    enabled?: boolean;
    refetchInterval?: (data: BillingOverview | undefined) => number | false;
  } = {},
) {
  const session = useSignedInSession();
  const { canRead } = useCanReadBilling();
  const orgId = session.organization?.id ?? 'none';
  return useQuery({
    queryKey: billingOverviewKey(orgId),
    queryFn: billingApi.overview,
    enabled: canRead && session.organization !== null && (options.enabled ?? true),
    staleTime: 30_000,
    refetchInterval: options.refetchInterval
      ? (query) => options.refetchInterval!(query.state.data)
      : undefined,
  });
}

export function usePlans(enabled = true) {
  return useQuery({ queryKey: billingPlansKey, queryFn: billingApi.plans, staleTime: 300_000, enabled });
}

export function useInvoices(enabled: boolean) {
  const session = useSignedInSession();
  return useQuery({
    queryKey: billingInvoicesKey(session.organization?.id ?? 'none'),
    queryFn: billingApi.invoices,
    enabled: enabled && session.organization !== null,
  });
}

export function useRetention(enabled: boolean) {
  const session = useSignedInSession();
  return useQuery({
    queryKey: billingRetentionKey(session.organization?.id ?? 'none'),
    queryFn: billingApi.retention,
    enabled: enabled && session.organization !== null,
    staleTime: 60_000,
  });
}
