// The Overview tab's panels below the key numbers: the trend chart with its metric picker, the funnel
// (per segment on request), platform and bot breakdowns, the satisfaction distribution, the templates
// used most and the questions the bots could not answer. Bars are plain elements: readable in both
// themes, labelled for screen readers, and as wide as the screen allows.
import * as React from 'react';
import {
  BarChart3,
  Filter,
  HelpCircle,
  LineChart as LineChartIcon,
  MessageSquareText,
  Star,
} from 'lucide-react';
import { Skeleton } from '@/components/ui/skeleton';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type {
  AnalyticsQuery,
  Breakdown,
  BreakdownBy,
  Funnel,
  FunnelBy,
  MetricKey,
  Overview,
} from '@/features/analytics/api';
import { formatMetric, formatPercent, METRICS, TREND_METRICS } from '@/features/analytics/metrics';
import { Panel } from '@/features/analytics/panel';
import { useBreakdown, useFunnel, useOverview, useSeries, useUnanswered } from '@/features/analytics/queries';
import { platformLabel } from '@/features/conversations/platforms';
import { useSearchParam } from '@/lib/url-filters';
import { cn } from '@/lib/utils';

// The chart library is large and only this panel uses it here: it loads on demand.
const TrendChart = React.lazy(() => import('@/features/analytics/trend-chart'));

const count = new Intl.NumberFormat('en-US');

/** A horizontal bar: `value` of `max`, at least a sliver when not zero. */
function Bar({ value, max, className }: { value: number; max: number; className?: string }) {
  const width = max > 0 ? Math.max(value > 0 ? 2 : 0, (value / max) * 100) : 0;
  return (
    <div className="h-2 w-full rounded-full bg-muted" aria-hidden="true">
      <div className={cn('h-2 rounded-full bg-indigo-500', className)} style={{ width: `${width}%` }} />
    </div>
  );
}

export function TrendPanel({ query }: { query: AnalyticsQuery }) {
  const series = useSeries(query);
  const [metricParam, setMetric] = useSearchParam('metric');
  const metric: MetricKey = TREND_METRICS.includes(metricParam as MetricKey)
    ? (metricParam as MetricKey)
    : 'conversations';
  return (
    <Panel
      title="Trend"
      description={
        series.data
          ? `${series.data.range.granularity === 'hour' ? 'By hour' : 'By day'}; the previous period dashed.`
          : undefined
      }
      actions={
        <label className="flex items-center gap-2 text-sm">
          <span className="text-muted-foreground">Metric</span>
          <NativeSelect
            aria-label="Trend metric"
            value={metric}
            onChange={(event) =>
              setMetric(event.target.value === 'conversations' ? null : event.target.value)
            }
            className="h-8 w-52"
          >
            {TREND_METRICS.map((key) => (
              <option key={key} value={key}>
                {METRICS[key].label}
              </option>
            ))}
          </NativeSelect>
        </label>
      }
      query={series}
      isEmpty={(data) =>
        data.points.every((point) => !point.metrics.conversations && !point.metrics.messages_in)
      }
      emptyIcon={LineChartIcon}
      skeletonClassName="h-64"
    >
      {(data) => (
        <React.Suspense fallback={<Skeleton className="h-64 w-full" />}>
          <TrendChart series={data} metric={metric} />
        </React.Suspense>
      )}
    </Panel>
  );
}

const FUNNEL_BY: { value: FunnelBy; label: string }[] = [
  { value: 'none', label: 'All conversations' },
  { value: 'platform', label: 'By platform' },
  { value: 'bot', label: 'By bot' },
  { value: 'deployment', label: 'By deployment' },
];

export function FunnelSteps({ segment }: { segment: Funnel['segments'][number] }) {
  const first = segment.steps[0]?.count ?? 0;
  return (
    <ol className="space-y-2.5" aria-label={segment.label}>
      {segment.steps.map((step, index) => (
        <li key={step.key} className="grid gap-1">
          <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
            <span className="font-medium">{step.label}</span>
            <span className="tabular-nums">
              {count.format(step.count)}
              {first > 0 ? (
                <span className="ml-1 text-xs text-muted-foreground">
                  ({formatPercent(step.count / first)})
                </span>
              ) : null}
              {index > 0 && step.drop_off < 0 ? (
                // Resolved or converted need not have been engaged: a step can hold more than the one before.
                <span className="ml-2 text-xs text-muted-foreground" title="More than the step before">
                  +{count.format(-step.drop_off)}
                  <span className="sr-only"> more than the step before</span>
                </span>
              ) : index > 0 && step.drop_off > 0 ? (
                <span className="ml-2 text-xs text-red-700" title="Lost since the step before">
                  −{count.format(step.drop_off)}
                  {segment.steps[index - 1].count > 0
                    ? ` (${formatPercent(step.drop_off / segment.steps[index - 1].count)})`
                    : ''}
                  <span className="sr-only"> dropped off</span>
                </span>
              ) : null}
            </span>
          </div>
          <Bar value={step.count} max={first} />
        </li>
      ))}
    </ol>
  );
}

export function FunnelPanel({ query }: { query: AnalyticsQuery }) {
  const [byParam, setBy] = useSearchParam('funnel');
  const by: FunnelBy = FUNNEL_BY.some((option) => option.value === byParam) ? (byParam as FunnelBy) : 'none';
  const funnel = useFunnel(query, by);
  return (
    <Panel
      title="Funnel"
      description="First contact → engaged (2+ messages) → resolved → converted."
      actions={
        <NativeSelect
          aria-label="Funnel segments"
          value={by}
          onChange={(event) => setBy(event.target.value === 'none' ? null : event.target.value)}
          className="h-8 w-44"
        >
          {FUNNEL_BY.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </NativeSelect>
      }
      query={funnel}
      isEmpty={(data) => data.segments.every((segment) => (segment.steps[0]?.count ?? 0) === 0)}
      emptyIcon={Filter}
    >
      {(data) => (
        <div className={cn('grid gap-6', data.segments.length > 1 && 'md:grid-cols-2')}>
          {data.segments.map((segment) => (
            <div key={segment.key} className="min-w-0 space-y-2">
              {data.segments.length > 1 ? <h4 className="text-sm font-semibold">{segment.label}</h4> : null}
              <FunnelSteps segment={segment} />
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}

function breakdownLabel(by: BreakdownBy, row: Breakdown['rows'][number]): string {
  if (by === 'platform' && row.label === row.key) return platformLabel(row.key);
  return row.label || row.key;
}

export function BreakdownPanel({ query, by }: { query: AnalyticsQuery; by: 'platform' | 'bot' }) {
  const breakdown = useBreakdown(query, by);
  const title = by === 'platform' ? 'Platforms' : 'Bots';
  return (
    <Panel title={title} query={breakdown} isEmpty={(data) => data.rows.length === 0} emptyIcon={BarChart3}>
      {(data) => {
        const max = Math.max(0, ...data.rows.map((row) => row.metrics.conversations ?? 0));
        return (
          <Table aria-label={`Conversations by ${by}`} className="text-sm [&_td]:px-2 [&_th]:px-2">
            <TableHeader>
              <TableRow>
                <TableHead>{by === 'platform' ? 'Platform' : 'Bot'}</TableHead>
                <TableHead>Conversations</TableHead>
                <TableHead className="text-right">Resolved</TableHead>
                <TableHead className="hidden text-right sm:table-cell">First response</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Rating</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.rows.map((row) => (
                <TableRow key={row.key}>
                  <TableCell className="max-w-[9rem] truncate font-medium">
                    {breakdownLabel(by, row)}
                  </TableCell>
                  <TableCell>
                    <div className="flex items-center gap-2">
                      <span className="w-10 shrink-0 tabular-nums">
                        {formatMetric('conversations', row.metrics.conversations ?? 0, true)}
                      </span>
                      {/* Two panels a row (lg) leave no room for the bar until 2xl: the rating column was cut off. */}
                      <div className="w-12 shrink-0 lg:hidden 2xl:block">
                        <Bar value={row.metrics.conversations ?? 0} max={max} />
                      </div>
                    </div>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {formatMetric('resolution_rate', row.metrics.resolution_rate)}
                  </TableCell>
                  <TableCell className="hidden text-right tabular-nums sm:table-cell">
                    {formatMetric('first_response_p50_ms', row.metrics.first_response_p50_ms)}
                  </TableCell>
                  <TableCell className="hidden text-right tabular-nums sm:table-cell">
                    {row.metrics.satisfaction_average == null
                      ? '—'
                      : row.metrics.satisfaction_average.toFixed(1)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        );
      }}
    </Panel>
  );
}

export function SatisfactionPanel({ query }: { query: AnalyticsQuery }) {
  const overview = useOverview(query);
  return (
    <Panel
      title="Satisfaction"
      description={
        overview.data && (overview.data.metrics.ratings?.value ?? 0) > 0
          ? `Average ${formatMetric('satisfaction_average', overview.data.metrics.satisfaction_average?.value)}; ${formatMetric(
              'satisfaction_response_rate',
              overview.data.metrics.satisfaction_response_rate?.value,
            )} of those asked answered.`
          : undefined
      }
      query={overview}
      isEmpty={(data: Overview) => data.satisfaction.distribution.every((n) => n === 0)}
      emptyTitle="No ratings in this range"
      emptyIcon={Star}
    >
      {(data) => {
        const distribution = data.satisfaction.distribution;
        const max = Math.max(...distribution);
        const total = distribution.reduce((sum, n) => sum + n, 0);
        return (
          <ol className="space-y-2" aria-label="Ratings from 5 to 1">
            {[5, 4, 3, 2, 1].map((score) => {
              const n = distribution[score - 1] ?? 0;
              const before = data.satisfaction.previous_distribution?.[score - 1];
              return (
                <li
                  key={score}
                  className="grid grid-cols-[3rem_minmax(0,1fr)_5.5rem] items-center gap-2 text-sm"
                >
                  <span className="inline-flex items-center gap-1 tabular-nums">
                    {score}
                    <Star className="size-3.5 fill-amber-400 text-amber-400" aria-label="stars" />
                  </span>
                  <Bar value={n} max={max} className="bg-amber-400" />
                  <span
                    className="text-right tabular-nums"
                    title={before !== undefined ? `Previous period: ${before}` : undefined}
                  >
                    {count.format(n)}
                    {total > 0 ? (
                      <span className="ml-1 text-xs text-muted-foreground">{formatPercent(n / total)}</span>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ol>
        );
      }}
    </Panel>
  );
}

export function TopTemplatesPanel({ query }: { query: AnalyticsQuery }) {
  const templates = useBreakdown(query, 'template');
  return (
    <Panel
      title="Top templates"
      query={templates}
      isEmpty={(data) => data.rows.length === 0}
      emptyTitle="No template replies in this range"
      emptyIcon={MessageSquareText}
    >
      {(data) => {
        const rows = data.rows.slice(0, 10);
        const max = Math.max(0, ...rows.map((row) => row.metrics.template_replies ?? 0));
        return (
          <ol className="space-y-2.5">
            {rows.map((row) => (
              <li key={row.key} className="grid grid-cols-[minmax(0,1fr)] gap-1 text-sm">
                {/* A long template name is cut, not allowed to widen the page on a phone. */}
                <div className="flex min-w-0 justify-between gap-3">
                  <span className="min-w-0 truncate" title={row.label || row.key}>
                    {row.label || row.key}
                  </span>
                  <span className="shrink-0 tabular-nums">
                    {count.format(row.metrics.template_replies ?? 0)}
                  </span>
                </div>
                <Bar value={row.metrics.template_replies ?? 0} max={max} className="bg-sky-500" />
              </li>
            ))}
          </ol>
        );
      }}
    </Panel>
  );
}

export function UnansweredPanel({ query }: { query: AnalyticsQuery }) {
  const unanswered = useUnanswered(query);
  return (
    <Panel
      title="Top unanswered questions"
      description="What people asked when the bot fell back."
      query={unanswered}
      isEmpty={(data) => data.rows.length === 0}
      emptyTitle={
        query.template_id ? 'Not counted for one template' : 'No unanswered questions in this range'
      }
      emptyIcon={HelpCircle}
    >
      {(data) => (
        <ol className="divide-y text-sm">
          {data.rows.map((row) => (
            <li key={row.question} className="flex items-baseline justify-between gap-3 py-2">
              <span className="min-w-0 break-words">{row.question}</span>
              <span className="shrink-0 tabular-nums text-muted-foreground">×{count.format(row.count)}</span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
