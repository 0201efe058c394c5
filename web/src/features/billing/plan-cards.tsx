// The plans on offer (GET /api/billing/plans), each with its limits and features. Owners buy one through
// Stripe Checkout (Upgrade) or, with a subscription already, change it in the customer portal; a plan
// that cannot be bought says why on its disabled button.
import { Check, Loader2, Minus } from 'lucide-react';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import type { BillingOverview, PlanCard } from '@/features/billing/api';
import { hasPaidPlan } from '@/features/billing/usage';
import { countOf, featureLabel, LIMIT_NAMES, limitLabel } from '@/lib/plan-limits';
import { cn } from '@/lib/utils';
import { Layers } from 'lucide-react';
import type { UseQueryResult } from '@tanstack/react-query';

interface PlanCardsProps {
  plans: UseQueryResult<PlanCard[]>;
  overview: BillingOverview;
  canManage: boolean;
  /** The plan whose Checkout is being opened, or "portal". */
  pending: string | null;
  onUpgrade: (plan: string) => void;
  onManage: () => void;
}

/** Plans in the order of their limits: Free, Pro, Business. The internal "unlimited" is never sold. */
function offered(plans: PlanCard[]): PlanCard[] {
  return plans.filter((plan) => plan.key !== 'unlimited');
}

export function PlanCards({ plans, overview, canManage, pending, onUpgrade, onManage }: PlanCardsProps) {
  if (plans.isPending) {
    return (
      <div className="grid gap-4 md:grid-cols-3" aria-busy="true" aria-label="Loading plans">
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
      </div>
    );
  }
  if (plans.isError) {
    return (
      <ErrorState title="Could not load the plans" error={plans.error} onRetry={() => plans.refetch()} />
    );
  }
  const list = offered(plans.data);
  if (list.length === 0) {
    return (
      <EmptyState icon={Layers} title="No plans are offered" description="The operator has not set any up." />
    );
  }
  const currentIndex = list.findIndex((plan) => plan.key === overview.plan.key);
  return (
    <div className="grid gap-4 md:grid-cols-3">
      {list.map((plan, index) => {
        const current = plan.key === overview.plan.key && !overview.grandfathered && overview.enabled;
        return (
          <Card
            key={plan.key}
            aria-label={`${plan.name} plan`}
            role="group"
            className={cn('flex flex-col', current && 'border-primary ring-1 ring-primary')}
          >
            <CardHeader>
              <CardTitle className="flex min-h-6 items-center justify-between gap-2">
                {plan.name}
                {current ? <Badge variant="default">Current plan</Badge> : null}
              </CardTitle>
              <CardDescription className="text-base font-semibold text-foreground">
                {plan.price_label || (plan.key === 'free' ? 'Free' : '—')}
              </CardDescription>
            </CardHeader>
            <CardContent className="flex flex-1 flex-col gap-4">
              <ul className="flex-1 space-y-1.5 text-sm">
                {LIMIT_NAMES.map((limit) => (
                  <li key={limit} className="flex gap-2">
                    <Check className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
                    {plan.limits[limit] === null || plan.limits[limit] === undefined
                      ? `Unlimited ${limitLabel(limit).toLowerCase()}`
                      : countOf(limit, plan.limits[limit]!)}
                  </li>
                ))}
                {plan.limits.retention_days ? (
                  <li className="flex gap-2">
                    <Check className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
                    {`${plan.limits.retention_days} days of history`}
                  </li>
                ) : null}
                {(['csv_export', 'advanced_analytics'] as const).map((feature) => (
                  <li
                    key={feature}
                    className={cn('flex gap-2', !plan.features[feature] && 'text-muted-foreground')}
                  >
                    {plan.features[feature] ? (
                      <Check className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
                    ) : (
                      <Minus className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                    )}
                    <span>
                      {capitalise(featureLabel(feature))}
                      {plan.features[feature] ? '' : <span className="sr-only"> (not included)</span>}
                    </span>
                  </li>
                ))}
              </ul>
              {canManage ? (
                <PlanAction
                  plan={plan}
                  overview={overview}
                  current={current}
                  higher={currentIndex === -1 || index > currentIndex}
                  pending={pending}
                  onUpgrade={onUpgrade}
                  onManage={onManage}
                />
              ) : null}
            </CardContent>
          </Card>
        );
      })}
    </div>
  );
}

function PlanAction({
  plan,
  overview,
  current,
  higher,
  pending,
  onUpgrade,
  onManage,
}: {
  plan: PlanCard;
  overview: BillingOverview;
  current: boolean;
  higher: boolean;
  pending: string | null;
  onUpgrade: (plan: string) => void;
  onManage: () => void;
}) {
  if (current) return null;
  if (plan.key === 'free') {
    // Leaving a paid plan is cancelling it, which the portal does.
    if (hasPaidPlan(overview) && overview.stripe_configured)
      return (
        <Button variant="outline" onClick={onManage} disabled={pending !== null}>
          {pending === 'portal' ? <Loader2 className="animate-spin" /> : null}
          Downgrade in Manage billing
        </Button>
      );
    return null;
  }
  const reason = unavailableReason(plan, overview);
  if (reason) {
    const id = `plan-${plan.key}-unavailable`;
    return (
      <div className="space-y-1.5">
        <Button className="w-full" disabled aria-describedby={id}>
          {higher ? 'Upgrade' : 'Switch'} to {plan.name}
        </Button>
        <p id={id} className="text-xs text-muted-foreground">
          {reason}
        </p>
      </div>
    );
  }
  // With a subscription, Stripe's portal changes the plan (Checkout would start a second subscription).
  if (hasPaidPlan(overview) && overview.status !== 'canceled')
    return (
      <Button variant={higher ? 'default' : 'outline'} onClick={onManage} disabled={pending !== null}>
        {pending === 'portal' ? <Loader2 className="animate-spin" /> : null}
        {higher ? 'Upgrade' : 'Switch'} in Manage billing
      </Button>
    );
  return (
    <Button onClick={() => onUpgrade(plan.key)} disabled={pending !== null}>
      {pending === plan.key ? <Loader2 className="animate-spin" /> : null}
      {higher ? 'Upgrade' : 'Switch'} to {plan.name}
    </Button>
  );
}

/** Why a plan cannot be bought here, or null when it can. */
export function unavailableReason(plan: PlanCard, overview: BillingOverview): string | null {
  if (!overview.enabled) return 'Billing is turned off on this server.';
  if (!overview.stripe_configured)
    return 'Billing is not configured on this server: a platform admin sets plans instead.';
  if (!plan.purchasable) return 'Not on sale yet: the operator has not given this plan a Stripe price.';
  return null;
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
