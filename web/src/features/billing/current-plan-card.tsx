// The Billing page's first card: the plan, its status (Active, Trialing, Past due with the grace end,
// Canceled, Grandfathered, or billing off/not configured), the renewal or end date, and the usage meters.
import { CalendarClock, CreditCard, Gauge, Info, Loader2 } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeProps } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BillingOverview } from '@/features/billing/api';
import { pastDueSentence } from '@/features/billing/billing-banners';
import { UsageMeter } from '@/features/billing/usage-meter';
import { hasPaidPlan, limitsApply, meters } from '@/features/billing/usage';
import { formatDate } from '@/lib/utils';

const STATUS: Record<string, { label: string; variant: BadgeProps['variant'] }> = {
  active: { label: 'Active', variant: 'green' },
  trialing: { label: 'Trialing', variant: 'blue' },
  past_due: { label: 'Past due', variant: 'red' },
  canceled: { label: 'Canceled', variant: 'secondary' },
  unpaid: { label: 'Unpaid', variant: 'red' },
  incomplete: { label: 'Incomplete', variant: 'amber' },
  incomplete_expired: { label: 'Expired', variant: 'secondary' },
};

/** The status badge's words: Grandfathered and "billing off" come before Stripe's status. */
export function statusBadge(overview: BillingOverview): { label: string; variant: BadgeProps['variant'] } {
  if (!overview.enabled) return { label: 'Billing off', variant: 'secondary' };
  if (overview.grandfathered) return { label: 'Grandfathered', variant: 'blue' };
  return STATUS[overview.status] ?? { label: 'Active', variant: 'green' };
}

interface CurrentPlanCardProps {
  overview: BillingOverview;
  /** Owners: Manage billing opens the Stripe customer portal. */
  canManage: boolean;
  onManage: () => void;
  managing: boolean;
}

export function CurrentPlanCard({ overview, canManage, onManage, managing }: CurrentPlanCardProps) {
  const badge = statusBadge(overview);
  const paid = hasPaidPlan(overview);
  const end = overview.current_period_end;
  const showManage =
    canManage && overview.stripe_configured && overview.enabled && (paid || overview.status === 'past_due');
  return (
    <Card>
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="space-y-1.5">
            <CardTitle className="flex flex-wrap items-center gap-2">
              <CreditCard className="size-4 text-muted-foreground" />
              <span>
                {overview.enabled && !overview.grandfathered ? `${overview.plan.name} plan` : 'Unlimited'}
              </span>
              <Badge variant={badge.variant}>{badge.label}</Badge>
            </CardTitle>
            <CardDescription>{describe(overview, paid)}</CardDescription>
          </div>
          {showManage ? (
            <Button variant="outline" onClick={onManage} disabled={managing}>
              {managing ? <Loader2 className="animate-spin" /> : null}
              Manage billing
            </Button>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="space-y-5">
        {!overview.enabled ? (
          <Alert>
            <Info />
            <p>
              Billing is turned off on this server: every organization has unlimited use and nothing is
              refused. The operator turns it on with <code className="font-mono text-xs">--billing on</code>.
            </p>
          </Alert>
        ) : null}
        {overview.enabled && !overview.stripe_configured ? (
          <Alert>
            <Info />
            <div className="space-y-1">
              <p className="font-medium">Billing is not configured</p>
              <p>
                Stripe is not set up on this server, so plans cannot be bought here. A platform admin can set
                this organization’s plan on the Admin page or with{' '}
                <code className="font-mono text-xs">switchboard admin set-plan</code>.
              </p>
            </div>
          </Alert>
        ) : null}
        {overview.enabled && overview.grandfathered ? (
          <Alert>
            <Info />
            <p>
              This organization existed before billing was turned on, so it keeps unlimited use until a
              platform admin changes its plan.
            </p>
          </Alert>
        ) : null}
        {overview.enabled && overview.status === 'past_due' ? (
          <Alert variant="destructive">
            <CreditCard />
            <p>
              <span className="font-medium">Payment failed.</span> {pastDueSentence(overview)}
            </p>
          </Alert>
        ) : null}
        {overview.enabled && overview.cancel_at_period_end && end ? (
          <Alert variant="warning">
            <CalendarClock />
            <p>
              Your subscription is canceled at the end of the period: the {overview.plan.name} plan stays
              until {formatDate(end)}, then the organization moves to Free. Nothing is deleted.
            </p>
          </Alert>
        ) : null}
        <section aria-labelledby="usage-heading" className="space-y-4">
          <h3 id="usage-heading" className="flex items-center gap-2 text-sm font-semibold">
            <Gauge className="size-4 text-muted-foreground" /> Usage
          </h3>
          <div className="grid gap-4 sm:grid-cols-2">
            {meters(limitsApply(overview) ? overview.limits : unlimited(overview.limits), overview.usage).map(
              (meter) => (
                <UsageMeter key={meter.limit} meter={meter} />
              ),
            )}
          </div>
        </section>
      </CardContent>
    </Card>
  );
}

function unlimited<T extends object>(limits: T): T {
  return Object.fromEntries(Object.keys(limits).map((key) => [key, null])) as T;
}

/** The line under the plan's name: when it renews or ends, or why there is no date. */
function describe(overview: BillingOverview, paid: boolean): string {
  if (!overview.enabled) return 'Billing is off: no limits apply.';
  if (overview.grandfathered) return 'Unlimited use, kept from before billing was turned on.';
  const end = overview.current_period_end;
  if (overview.status === 'canceled') return 'The subscription has ended; the organization is on Free.';
  if (paid && end) {
    if (overview.cancel_at_period_end) return `Ends on ${formatDate(end)}.`;
    if (overview.status === 'trialing') return `Trial ends on ${formatDate(end)}.`;
    return `Renews on ${formatDate(end)}.`;
  }
  const reset = end ?? overview.period_end;
  if (reset) return `Usage counts start again on ${formatDate(reset)}.`;
  return 'Monthly usage counts start again on the first of each month (UTC).';
}
