// /billing (owners and admins): the organisation's plan, status and usage, the plans on offer with
// Upgrade (Stripe Checkout) and Manage billing (Stripe's customer portal) for owners, and the invoices.
// Checkout sends the person back here with ?checkout=success or ?checkout=cancel.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleX, Layers, X } from 'lucide-react';
import { useSearchParams } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { ErrorState, ForbiddenState } from '@/components/states';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { billingApi, type BillingOverview } from '@/features/billing/api';
import { CurrentPlanCard } from '@/features/billing/current-plan-card';
import { InvoicesCard } from '@/features/billing/invoices-card';
import { PlanCards } from '@/features/billing/plan-cards';
import { billingKey, useBillingOverview, useCanReadBilling, usePlans } from '@/features/billing/queries';
import { redirectTo } from '@/features/billing/redirect';
import { RetentionNotice } from '@/features/billing/retention-notice';
import { hasPaidPlan } from '@/features/billing/usage';
import { isApiError } from '@/lib/api';

/** After a successful Checkout, how often and how long to ask again until Stripe's event has arrived. */
const CHECKOUT_POLL_MS = 2_000;
const CHECKOUT_POLL_TRIES = 15;

export function BillingPage() {
  useDocumentTitle('Billing');
  const { canRead, canManage, isPending } = useCanReadBilling();
  const [params, setParams] = useSearchParams();
  // Stripe comes back with ?checkout=success&session_id=… or ?checkout=canceled (cancel, cancelled too).
  const checkoutParam = params.get('checkout');
  const checkout =
    checkoutParam === 'success'
      ? 'success'
      : checkoutParam && ['cancel', 'canceled', 'cancelled'].includes(checkoutParam)
        ? 'cancel'
        : null;
  const queryClient = useQueryClient();
  const polls = React.useRef(0);
  const overview = useBillingOverview({
    // Back from Checkout: the webhook may land a moment later; ask again until the plan is a paid one.
    refetchInterval: (data) =>
      checkout === 'success' && !(data && hasPaidPlan(data)) && polls.current++ < CHECKOUT_POLL_TRIES
        ? CHECKOUT_POLL_MS
        : false,
  });
  const plans = usePlans(canRead);

  // Returning from Checkout: whatever was loaded before is out of date.
  React.useEffect(() => {
    if (checkout) void queryClient.invalidateQueries({ queryKey: billingKey });
  }, [checkout, queryClient]);

  const [pending, setPending] = React.useState<string | null>(null);
  const upgrade = useMutation({
    mutationFn: (plan: string) => billingApi.checkout(plan),
    onMutate: (plan) => setPending(plan),
    onSuccess: ({ url }) => redirectTo(url),
    onError: () => setPending(null),
  });
  const portal = useMutation({
    mutationFn: billingApi.portal,
    onMutate: () => setPending('portal'),
    onSuccess: ({ url }) => redirectTo(url),
    onError: () => setPending(null),
  });

  const forbidden = (!isPending && !canRead) || isApiError(overview.error, 403);
  if (forbidden) {
    return (
      <>
        <PageHeader title="Billing" />
        <ForbiddenState
          title="Only owners and admins can see billing"
          description="Ask an owner of this organization about its plan, its limits or its invoices."
        />
      </>
    );
  }

  const dismiss = () =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('checkout');
        next.delete('session_id');
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title="Billing"
        description="Your organization’s plan, what it has used, and its invoices."
      />
      <div className="space-y-6">
        {checkout ? <CheckoutReturn outcome={checkout} overview={overview.data} onDismiss={dismiss} /> : null}
        {overview.isPending ? (
          <div className="space-y-3" aria-busy="true" aria-label="Loading billing">
            <Skeleton className="h-48 w-full" />
          </div>
        ) : overview.isError ? (
          <ErrorState
            title="Could not load billing"
            error={overview.error}
            onRetry={() => overview.refetch()}
          />
        ) : (
          <>
            <RetentionNotice enabled={overview.data.enabled} />
            <CurrentPlanCard
              overview={overview.data}
              canManage={canManage}
              onManage={() => portal.mutate()}
              managing={pending === 'portal'}
            />
            {/* Billing off: no plan applies, so none is offered. */}
            {overview.data.enabled ? (
              <section aria-labelledby="plans-heading" className="space-y-3">
                <div className="space-y-1">
                  <h2 id="plans-heading" className="flex items-center gap-2 text-lg font-semibold">
                    <Layers className="size-4 text-muted-foreground" /> Plans
                  </h2>
                  {!canManage ? (
                    <p className="text-sm text-muted-foreground">Only owners can change the plan.</p>
                  ) : null}
                </div>
                <PlanCards
                  plans={plans}
                  overview={overview.data}
                  canManage={canManage}
                  pending={pending}
                  onUpgrade={(plan) => upgrade.mutate(plan)}
                  onManage={() => portal.mutate()}
                />
              </section>
            ) : null}
            {overview.data.enabled ? (
              <InvoicesCard stripeConfigured={overview.data.stripe_configured} />
            ) : null}
          </>
        )}
      </div>
    </>
  );
}

function CheckoutReturn({
  outcome,
  overview,
  onDismiss,
}: {
  outcome: 'success' | 'cancel';
  overview: BillingOverview | undefined;
  onDismiss: () => void;
}) {
  const confirmed = overview !== undefined && hasPaidPlan(overview);
  return (
    <Alert variant={outcome === 'success' ? 'default' : 'warning'} role="status" className="items-start">
      {outcome === 'success' ? <CircleCheck className="text-emerald-600" /> : <CircleX />}
      <p className="flex-1">
        {outcome === 'cancel' ? (
          <>
            <span className="font-medium">Checkout was canceled.</span> Nothing was charged and your plan is
            unchanged.
          </>
        ) : confirmed ? (
          <>
            <span className="font-medium">Thank you — you are on the {overview.plan.name} plan now.</span> Its
            limits apply from now on.
          </>
        ) : (
          <>
            <span className="font-medium">Payment received.</span> Your plan changes here as soon as Stripe
            confirms it, usually within a few seconds.
          </>
        )}
      </p>
      <Button variant="ghost" size="icon" className="-my-1.5 size-7" aria-label="Dismiss" onClick={onDismiss}>
        <X />
      </Button>
    </Alert>
  );
}
