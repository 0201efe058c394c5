// App-wide banners for owners and admins: a failed payment (past_due, with the date the paid plan ends)
// and an organisation over its plan's limits (after a downgrade or cancellation), each with a link to
// /billing. The Billing page tells the same in full, so they stay off it.
import { CreditCard, TriangleAlert } from 'lucide-react';
import { Link, useLocation } from 'react-router-dom';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { BillingOverview } from '@/features/billing/api';
import { useBillingOverview } from '@/features/billing/queries';
import { exceededMeters } from '@/features/billing/usage';
import { countOf, formatCount, limitLabel } from '@/lib/plan-limits';
import { cn, formatDate } from '@/lib/utils';

export function BillingBanners({ className }: { className?: string }) {
  const location = useLocation();
  const overview = useBillingOverview({ enabled: location.pathname !== '/billing' });
  if (location.pathname === '/billing' || !overview.data) return null;
  return <BillingBannerList overview={overview.data} className={className} />;
}

export function BillingBannerList({
  overview,
  className,
}: {
  overview: BillingOverview;
  className?: string;
}) {
  const pastDue = overview.enabled && overview.status === 'past_due';
  const over = exceededMeters(overview);
  if (!pastDue && over.length === 0) return null;
  return (
    <div className={cn('space-y-3', className)}>
      {pastDue ? (
        <Alert
          variant="destructive"
          role="region"
          aria-label="Payment failed"
          className="flex-col items-start gap-3 sm:flex-row sm:items-center"
        >
          <div className="flex flex-1 gap-3">
            <CreditCard className="mt-0.5 size-4 shrink-0" />
            <p>
              <span className="font-medium">Payment failed.</span> {pastDueSentence(overview)}
            </p>
          </div>
          <Button asChild size="sm" variant="outline" className="shrink-0">
            <Link to="/billing">Update payment</Link>
          </Button>
        </Alert>
      ) : null}
      {over.length > 0 ? (
        <Alert
          variant="warning"
          role="region"
          aria-label="Plan limits exceeded"
          className="flex-col items-start gap-3 sm:flex-row sm:items-center"
        >
          <div className="flex flex-1 gap-3">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" />
            <div className="space-y-1">
              <p>
                <span className="font-medium">Over the {overview.plan.name} plan’s limits:</span> nothing is
                deleted or paused, but you cannot add more until you are under them.
              </p>
              <ul className="list-inside list-disc">
                {over.map((meter) => (
                  <li key={meter.limit}>
                    {limitLabel(meter.limit)}: {formatCount(meter.used)}
                    {meter.max !== null ? ` of ${countOf(meter.limit, meter.max)} allowed` : ''}
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <Button asChild size="sm" variant="outline" className="shrink-0">
            <Link to="/billing">See plans</Link>
          </Button>
        </Alert>
      ) : null}
    </div>
  );
}

/** "Update your card by 12 Dec 2026 to keep the Pro plan." */
export function pastDueSentence(overview: BillingOverview): string {
  const by = overview.past_due_grace_ends_at ? ` by ${formatDate(overview.past_due_grace_ends_at)}` : '';
  return `Update your card${by} to keep the ${overview.plan.name} plan; after that the organization moves to Free.`;
}
