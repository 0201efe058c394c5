// The dashboard's usage warnings (owners and admins): each limit at 80 % or more of the plan, amber,
// and at 100 %, red, with a link to /billing. Nothing while every limit is below 80 %.
import { ArrowRight, Gauge } from 'lucide-react';
import { Link } from 'react-router-dom';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { useBillingOverview } from '@/features/billing/queries';
import { UsageMeter } from '@/features/billing/usage-meter';
import { usageWarnings } from '@/features/billing/usage';
import { cn } from '@/lib/utils';

export function UsageWarningsCard({ className }: { className?: string }) {
  const overview = useBillingOverview();
  if (!overview.data) return null;
  const warnings = usageWarnings(overview.data);
  if (warnings.length === 0) return null;
  const full = warnings.some((meter) => meter.level === 'full');
  return (
    <Card
      role="region"
      aria-label="Usage warnings"
      className={cn(full ? 'border-red-200 bg-red-50/40' : 'border-amber-200 bg-amber-50/40', className)}
    >
      <CardHeader className="flex-row items-start justify-between gap-4 space-y-0">
        <div className="space-y-1">
          <CardTitle className="flex items-center gap-2">
            <Gauge className="size-4 text-muted-foreground" />
            {full ? 'Plan limit reached' : 'Nearing your plan’s limits'}
          </CardTitle>
          <CardDescription>
            {full
              ? `Creating more of what is full is refused until you upgrade the ${overview.data.plan.name} plan or remove some.`
              : `You have used 80% or more of what the ${overview.data.plan.name} plan allows.`}
          </CardDescription>
        </div>
        <Link
          to="/billing"
          className="inline-flex shrink-0 items-center gap-1 text-sm font-medium hover:underline"
        >
          Billing <ArrowRight className="size-4" />
        </Link>
      </CardHeader>
      <CardContent className="grid gap-4 sm:grid-cols-2">
        {warnings.map((meter) => (
          <UsageMeter key={meter.limit} meter={meter} />
        ))}
      </CardContent>
    </Card>
  );
}
