// The headline numbers of the range, each with its change against the previous period: an arrow, the
// amount, and green or red by whether that direction is good for this metric.
import { ArrowDownRight, ArrowRight, ArrowUpRight } from 'lucide-react';
import { ErrorState } from '@/components/states';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import type { MetricKey, Overview } from '@/features/analytics/api';
import { formatMetric, METRICS, metricChange, type Change } from '@/features/analytics/metrics';
import { UpgradeCard, isFeatureGated } from '@/features/analytics/panel';
import type { UseQueryResult } from '@tanstack/react-query';
import { cn } from '@/lib/utils';

export const KPI_METRICS: MetricKey[] = [
  'conversations',
  'unique_users',
  'messages_in',
  'messages_out',
  'first_response_p50_ms',
  'first_response_p90_ms',
  'resolution_rate',
  'handoff_rate',
  'conversion_rate',
  'satisfaction_average',
  'satisfaction_response_rate',
  'ai_cost_micros',
];

const TONE_CLASS: Record<Change['tone'], string> = {
  good: 'text-emerald-700',
  bad: 'text-red-700',
  neutral: 'text-muted-foreground',
};

export function ChangeBadge({ change }: { change: Change | null }) {
  if (!change) return <span className="text-xs text-muted-foreground">No previous data</span>;
  const Icon =
    change.direction === 'up' ? ArrowUpRight : change.direction === 'down' ? ArrowDownRight : ArrowRight;
  return (
    <span
      className={cn(
        'inline-flex items-center gap-0.5 text-xs font-medium tabular-nums',
        TONE_CLASS[change.tone],
      )}
      data-tone={change.tone}
      data-direction={change.direction}
      title={change.description}
    >
      <Icon className="size-3.5" aria-hidden="true" />
      {change.text}
      <span className="sr-only">
        , {change.tone === 'neutral' ? '' : `${change.tone}: `}
        {change.description}
      </span>
    </span>
  );
}

export function KpiCard({
  metric,
  value,
  previous,
  showChange,
  detail,
}: {
  metric: MetricKey;
  value: number | null;
  previous: number | null;
  showChange: boolean;
  /** A second number under the first (the tokens under the AI cost). */
  detail?: string;
}) {
  const label = METRICS[metric].label;
  return (
    <Card className="flex min-w-0 flex-col gap-1 p-4" role="group" aria-label={label}>
      <p className="text-xs font-medium leading-tight text-muted-foreground">{label}</p>
      <p className="truncate text-2xl font-semibold tabular-nums tracking-tight">
        {formatMetric(metric, value, true)}
      </p>
      {/* Nothing measured: no change to tell either. */}
      {showChange && value !== null ? <ChangeBadge change={metricChange(metric, value, previous)} /> : null}
      {detail ? <p className="text-xs text-muted-foreground">{detail}</p> : null}
    </Card>
  );
}

export function KpiCards({ overview }: { overview: UseQueryResult<Overview> }) {
  if (overview.isPending) {
    return (
      <div
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-6"
        aria-busy="true"
        aria-label="Loading the key numbers"
      >
        {KPI_METRICS.map((metric) => (
          <Skeleton key={metric} className="h-24" />
        ))}
      </div>
    );
  }
  if (overview.isError && isFeatureGated(overview.error)) return <UpgradeCard error={overview.error} />;
  if (overview.isError && !overview.data) {
    return (
      <ErrorState
        title="Could not load the key numbers"
        error={overview.error}
        onRetry={() => overview.refetch()}
      />
    );
  }
  const data = overview.data!;
  return (
    <section
      aria-label="Key numbers"
      className={cn(
        'grid grid-cols-2 gap-3 transition-opacity sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-6',
        overview.isPlaceholderData && 'opacity-60',
      )}
    >
      {KPI_METRICS.map((metric) => (
        <KpiCard
          key={metric}
          metric={metric}
          value={data.metrics[metric]?.value ?? null}
          previous={data.metrics[metric]?.previous ?? null}
          showChange={data.previous !== null}
          detail={
            metric === 'ai_cost_micros'
              ? `${formatMetric('ai_tokens', data.metrics.ai_tokens?.value)} tokens`
              : undefined
          }
        />
      ))}
    </section>
  );
}
