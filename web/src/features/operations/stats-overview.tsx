// Live counts per job state (each one a filter) and the last hour: throughput, p50/p95 to reply, the chart.
import * as React from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { ErrorState } from '@/components/states';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { formatDuration, perMinute } from '@/features/operations/format';
import { STATE_LABELS } from '@/features/operations/job-states';
import { STATS_REFRESH_MS } from '@/features/operations/queries';
import { JOB_STATES, type JobState, type JobStats } from '@/lib/api';
import { cn } from '@/lib/utils';

// The chart library is large and only this panel uses it: it loads on demand.
const ThroughputChart = React.lazy(() =>
  import('@/features/operations/throughput-chart').then((module) => ({ default: module.ThroughputChart })),
);

const COUNT_COLORS: Record<JobState, string> = {
  queued: 'text-foreground',
  processing: 'text-sky-700',
  succeeded: 'text-emerald-700',
  failed: 'text-amber-700',
  dead: 'text-red-700',
  cancelled: 'text-muted-foreground',
  skipped: 'text-muted-foreground',
  in_doubt: 'text-amber-700',
};

interface StatsOverviewProps {
  stats: UseQueryResult<JobStats>;
  /** The state the jobs table is filtered by, if any. */
  selected?: JobState;
  onSelect: (state: JobState | undefined) => void;
}

export function StatsOverview({ stats, selected, onSelect }: StatsOverviewProps) {
  if (stats.isPending) {
    return (
      <div aria-busy="true" aria-label="Loading the live counts" className="grid gap-4">
        <div className="grid grid-cols-3 gap-3 sm:grid-cols-4 lg:grid-cols-8">
          {JOB_STATES.map((state) => (
            <Skeleton key={state} className="h-[4.5rem]" />
          ))}
        </div>
        <Skeleton className="h-64" />
      </div>
    );
  }
  if (!stats.data) {
    return (
      <ErrorState
        title="Could not load the live counts"
        error={stats.error}
        onRetry={() => stats.refetch()}
      />
    );
  }
  const { counts, last_hour: hour } = stats.data;
  return (
    <div className="grid gap-4">
      <div role="group" aria-label="Jobs by state" className="grid grid-cols-3 gap-3 sm:grid-cols-4 lg:grid-cols-8">
        {JOB_STATES.map((state) => (
          <button
            key={state}
            type="button"
            aria-label={`${STATE_LABELS[state]}: ${counts[state] ?? 0}`}
            aria-pressed={selected === state}
            title={
              selected === state ? 'Show every state' : `Show only ${STATE_LABELS[state].toLowerCase()} jobs`
            }
            onClick={() => onSelect(selected === state ? undefined : state)}
            className={cn(
              'rounded-lg border bg-card px-4 py-3 text-left shadow-sm transition-colors hover:bg-muted/40 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
              selected === state && 'border-foreground/40 bg-muted/60',
            )}
          >
            <span className="block text-xs font-medium text-muted-foreground">{STATE_LABELS[state]}</span>
            <span className={cn('block text-2xl font-semibold tabular-nums', COUNT_COLORS[state])}>
              {(counts[state] ?? 0).toLocaleString()}
            </span>
          </button>
        ))}
      </div>

      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-2 space-y-0">
          <div className="space-y-1">
            <CardTitle>Last hour</CardTitle>
            <CardDescription>From a platform’s delivery to the platform accepting the reply.</CardDescription>
          </div>
          <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
            <RefreshCw className={cn('size-3', stats.isFetching && 'animate-spin')} />
            {stats.isError
              ? `Live update failed (${stats.error instanceof Error ? stats.error.message : 'error'}); retrying`
              : `Live · every ${STATS_REFRESH_MS / 1000} s`}
          </p>
        </CardHeader>
        <CardContent className="grid gap-4">
          <dl
            aria-label="Last hour"
            className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4 lg:grid-cols-7"
          >
            <Figure term="Received" value={hour.received.toLocaleString()} note={perMinute(hour.received)} />
            <Figure
              term="Succeeded"
              value={hour.succeeded.toLocaleString()}
              note={perMinute(hour.succeeded)}
            />
            <Figure term="Failed" value={hour.failed.toLocaleString()} />
            <Figure term="Dead" value={hour.dead.toLocaleString()} />
            <Figure term="Skipped (quota)" value={(hour.skipped ?? 0).toLocaleString()} />
            <Figure term="p50 to reply" value={formatDuration(hour.p50_ms)} />
            <Figure term="p95 to reply" value={formatDuration(hour.p95_ms)} />
          </dl>
          {hour.received === 0 && hour.per_minute.every((point) => point.received === 0) ? (
            <p className="rounded-md border border-dashed px-4 py-8 text-center text-sm text-muted-foreground">
              No messages in the last hour.
            </p>
          ) : (
            <React.Suspense fallback={<Skeleton className="h-48 w-full" aria-label="Loading the chart" />}>
              <ThroughputChart points={hour.per_minute} />
            </React.Suspense>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function Figure({ term, value, note }: { term: string; value: string; note?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{term}</dt>
      <dd className="text-lg font-semibold tabular-nums">
        {value}
        {note ? <span className="ml-1 text-xs font-normal text-muted-foreground"> {note}</span> : null}
      </dd>
    </div>
  );
}
