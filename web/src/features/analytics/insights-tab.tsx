// The Insights tab: start a run for the current filters and follow it until it is done, the runs over
// time, one run's summary, themes, recommendations and metrics, any two side by side, and whether
// redacted transcripts may go to the model.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Bot, Cpu, GitCompare, Lightbulb, Loader2, Play, X } from 'lucide-react';
import { EmptyState, ErrorState } from '@/components/states';
import { LoadMore } from '@/components/load-more';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import {
  analyticsApi,
  type AnalyticsQuery,
  type AnalyticsSettings,
  type InsightRun,
  type MetricKey,
} from '@/features/analytics/api';
import { PRESET_LABELS } from '@/features/analytics/filters';
import { ChangeBadge } from '@/features/analytics/kpi-cards';
import { formatCost, formatMetric, METRICS, metricChange } from '@/features/analytics/metrics';
import { UpgradeCard, isFeatureGated } from '@/features/analytics/panel';
import {
  analyticsSettingsKey,
  insightRunsKey,
  useAnalyticsSettings,
  useInsightRun,
  useInsightRuns,
} from '@/features/analytics/queries';
import { useSignedInSession } from '@/features/auth/session';
import { isPlanError } from '@/lib/api';
import { useSearchParam } from '@/lib/url-filters';
import { cn, formatDateTime } from '@/lib/utils';

/** The metrics a run's snapshot and a comparison show. */
export const SNAPSHOT_METRICS: MetricKey[] = [
  'conversations',
  'unique_users',
  'messages_in',
  'first_response_p50_ms',
  'first_response_p90_ms',
  'resolution_rate',
  'handoff_rate',
  'fallback_rate',
  'conversion_rate',
  'satisfaction_average',
  'ai_cost_micros',
];

export function KindBadge({ run }: { run: InsightRun }) {
  return run.kind === 'heuristic' ? (
    <Badge variant="outline" className="gap-1 whitespace-nowrap border-amber-500/50 text-amber-800">
      <Cpu className="size-3" aria-hidden="true" />
      Heuristic — no AI key
    </Badge>
  ) : (
    <Badge variant="secondary" className="gap-1 whitespace-nowrap">
      <Bot className="size-3" aria-hidden="true" />
      AI
    </Badge>
  );
}

function StatusBadge({ run }: { run: InsightRun }) {
  if (run.status === 'running')
    return (
      <Badge variant="outline" className="gap-1">
        <Loader2 className="size-3 animate-spin" aria-hidden="true" /> Running
      </Badge>
    );
  if (run.status === 'failed') return <Badge variant="red">Failed</Badge>;
  return null;
}

/** "30 days · Helper · telegram": the filters a run was made with. */
export function filtersText(filters: InsightRun['filters']): string {
  const parts: string[] = [];
  if (filters.from && filters.to) parts.push(`${filters.from} – ${filters.to}`);
  else parts.push(PRESET_LABELS[filters.preset ?? '30d'] ?? String(filters.preset));
  if (filters.bot_id) parts.push(`bot ${filters.bot_id}`);
  if (filters.platform) parts.push(filters.platform);
  if (filters.deployment_id) parts.push(`deployment ${filters.deployment_id}`);
  return parts.join(' · ');
}

function useElapsedSeconds(since: string | undefined, running: boolean) {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!since) return 0;
  return Math.max(0, Math.round((now - new Date(since).getTime()) / 1000));
}

function RunProgress({ run }: { run: InsightRun }) {
  const seconds = useElapsedSeconds(run.created_at, run.status === 'running');
  return (
    <div role="status" className="space-y-2 rounded-lg border p-4">
      <p className="flex items-center gap-2 text-sm font-medium">
        <Loader2 className="size-4 animate-spin" aria-hidden="true" />
        Running insights… {seconds > 0 ? `${seconds} s` : ''}
      </p>
      <div className="h-1.5 w-full overflow-hidden rounded-full bg-muted" aria-hidden="true">
        <div className="h-full w-1/3 animate-pulse rounded-full bg-indigo-500" />
      </div>
      <p className="text-xs text-muted-foreground">
        {run.kind === 'heuristic'
          ? 'No AI key is set: a heuristic summary is being made from the numbers.'
          : 'The model reads the numbers of the range; this usually takes a few seconds.'}
      </p>
    </div>
  );
}

function ItemList({ title, items }: { title: string; items: InsightRun['themes'] }) {
  if (items.length === 0) return null;
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-semibold">{title}</h4>
      <ul className="space-y-2">
        {items.map((item, index) => (
          <li key={index} className="rounded-md border p-3 text-sm">
            <p className="font-medium">{item.title}</p>
            <p className="text-muted-foreground">{item.detail}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RunDetail({ run }: { run: InsightRun }) {
  return (
    <Card role="region" aria-label={`Insight run of ${formatDateTime(run.created_at)}`}>
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle className="text-base">{formatDateTime(run.created_at)}</CardTitle>
          <KindBadge run={run} />
          <StatusBadge run={run} />
        </div>
        <CardDescription>
          {filtersText(run.filters)} · by {run.created_by}
          {run.model ? ` · ${run.model}` : ''} · prompt {run.prompt_version}
          {run.transcripts_sent ? ' · redacted transcripts sent' : ' · numbers only'}
          {run.usage ? ` · ${formatCost(run.usage.cost_micros)}` : ''}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {run.status === 'running' ? <RunProgress run={run} /> : null}
        {run.status === 'failed' ? (
          <Alert variant="destructive">{run.error ?? 'The run failed.'}</Alert>
        ) : null}
        {run.summary ? <p className="text-sm leading-relaxed">{run.summary}</p> : null}
        <ItemList title="Themes" items={run.themes} />
        <ItemList title="Recommendations" items={run.recommendations} />
        {run.metrics ? (
          <div className="space-y-2">
            <h4 className="text-sm font-semibold">Numbers at the time</h4>
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
              {SNAPSHOT_METRICS.map((key) => (
                <div key={key} className="rounded-md bg-muted/50 p-2">
                  <dt className="text-xs text-muted-foreground">{METRICS[key].label}</dt>
                  <dd className="font-medium tabular-nums">{formatMetric(key, run.metrics?.[key]?.value)}</dd>
                </div>
              ))}
            </dl>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

/** Two runs side by side: their words, and each metric with the change from the older to the newer. */
export function RunComparison({ runs, onClose }: { runs: [InsightRun, InsightRun]; onClose: () => void }) {
  const [older, newer] = [...runs].sort((a, b) => a.created_at.localeCompare(b.created_at));
  return (
    <Card role="region" aria-label="Comparison of two runs">
      <CardHeader className="flex-row items-start justify-between gap-2 space-y-0">
        <div className="space-y-1">
          <CardTitle className="flex items-center gap-2 text-base">
            <GitCompare className="size-4 text-muted-foreground" /> Comparison
          </CardTitle>
          <CardDescription>
            {formatDateTime(older.created_at)} → {formatDateTime(newer.created_at)}
          </CardDescription>
        </div>
        <Button variant="ghost" size="icon" aria-label="Close the comparison" onClick={onClose}>
          <X />
        </Button>
      </CardHeader>
      <CardContent className="space-y-4">
        <Table aria-label="Metrics of the two runs" className="text-sm">
          <TableHeader>
            <TableRow>
              <TableHead>Metric</TableHead>
              <TableHead className="text-right">Earlier</TableHead>
              <TableHead className="text-right">Later</TableHead>
              <TableHead className="text-right">Change</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {SNAPSHOT_METRICS.map((key) => {
              const before = older.metrics?.[key]?.value ?? null;
              const after = newer.metrics?.[key]?.value ?? null;
              return (
                <TableRow key={key}>
                  <TableCell>{METRICS[key].label}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMetric(key, before)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMetric(key, after)}</TableCell>
                  <TableCell className="text-right">
                    <ChangeBadge change={metricChange(key, after, before)} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <div className="grid gap-4 md:grid-cols-2">
          {[older, newer].map((run) => (
            <div key={run.id} className="min-w-0 space-y-3 rounded-lg border p-4">
              <div className="flex flex-wrap items-center gap-2">
                <p className="text-sm font-semibold">{formatDateTime(run.created_at)}</p>
                <KindBadge run={run} />
              </div>
              <p className="text-xs text-muted-foreground">{filtersText(run.filters)}</p>
              {run.summary ? <p className="text-sm">{run.summary}</p> : null}
              <ItemList title="Themes" items={run.themes} />
              <ItemList title="Recommendations" items={run.recommendations} />
            </div>
          ))}
        </div>
      </CardContent>
    </Card>
  );
}

function ShareTranscriptsSetting({ canManage }: { canManage: boolean }) {
  const settings = useAnalyticsSettings();
  const queryClient = useQueryClient();
  const orgId = useSignedInSession().organization?.id ?? 'none';
  const update = useMutation({
    mutationFn: (share: boolean) => analyticsApi.updateSettings({ share_transcripts: share }),
    onSuccess: (saved) => queryClient.setQueryData<AnalyticsSettings>(analyticsSettingsKey(orgId), saved),
  });
  const checked = update.isPending ? Boolean(update.variables) : Boolean(settings.data?.share_transcripts);
  return (
    <div className="flex items-start justify-between gap-4 rounded-lg border p-4">
      <div className="space-y-1">
        <label htmlFor="share-transcripts" className="text-sm font-medium">
          Share redacted transcripts with the model
        </label>
        <p className="text-xs text-muted-foreground">
          Up to 50 recent conversations, with e-mail addresses, phone numbers and card numbers removed. Off:
          only the numbers are sent.
          {canManage ? '' : ' Owners and admins can change this.'}
        </p>
      </div>
      <Switch
        id="share-transcripts"
        checked={checked}
        disabled={!canManage || settings.isPending || settings.isError || update.isPending}
        onCheckedChange={(share) => update.mutate(share)}
      />
    </div>
  );
}

export function InsightsTab({ query, canManage }: { query: AnalyticsQuery; canManage: boolean }) {
  const queryClient = useQueryClient();
  const orgId = useSignedInSession().organization?.id ?? 'none';
  const runs = useInsightRuns();
  const [selectedId, setSelectedId] = useSearchParam('run');
  const [started, setStarted] = React.useState<InsightRun | null>(null);
  const [compare, setCompare] = React.useState<string[]>([]);
  const [comparing, setComparing] = React.useState(false);

  const start = useMutation({
    mutationFn: () => analyticsApi.insights.start(query),
    meta: { inlineError: true },
    onSuccess: (run) => {
      setStarted(run);
      setSelectedId(run.id);
      void queryClient.invalidateQueries({ queryKey: insightRunsKey(orgId), exact: true });
    },
  });
  const selected = useInsightRun(selectedId, started ?? undefined);
  // When the followed run ends, the list shows its new state.
  const selectedStatus = selected.data?.status;
  React.useEffect(() => {
    if (selectedStatus && selectedStatus !== 'running')
      void queryClient.invalidateQueries({ queryKey: insightRunsKey(orgId), exact: true });
  }, [selectedStatus, queryClient, orgId]);

  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  const compared = compare
    .map((id) => items.find((run) => run.id === id))
    .filter((run): run is InsightRun => run !== undefined);

  if (runs.isError && isFeatureGated(runs.error)) return <UpgradeCard error={runs.error} />;

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2 text-base">
            <Lightbulb className="size-4 text-muted-foreground" /> Insight runs
          </CardTitle>
          <CardDescription>
            A summary of the range with themes and recommendations, saved so runs can be compared over time.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {canManage ? (
            <div className="flex flex-wrap items-center gap-3">
              <Button
                onClick={() => start.mutate()}
                disabled={start.isPending || selected.data?.status === 'running'}
              >
                {start.isPending ? <Loader2 className="animate-spin" /> : <Play />}
                Run insights
              </Button>
              <span className="text-xs text-muted-foreground">With the filters above.</span>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">Owners and admins can start a run.</p>
          )}
          {start.isError ? (
            isPlanError(start.error) ? (
              <UpgradeCard error={start.error} />
            ) : (
              <Alert variant="destructive" role="alert">
                Could not start the run: {start.error.message}
              </Alert>
            )
          ) : null}
          <ShareTranscriptsSetting canManage={canManage} />
        </CardContent>
      </Card>

      {comparing && compared.length === 2 ? (
        <RunComparison runs={[compared[0], compared[1]]} onClose={() => setComparing(false)} />
      ) : selectedId && selected.data ? (
        <RunDetail run={selected.data} />
      ) : selectedId && selected.isError ? (
        <ErrorState
          title="Could not load the run"
          error={selected.error}
          onRetry={() => selected.refetch()}
        />
      ) : null}

      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2 space-y-0">
          <CardTitle className="text-base">Runs</CardTitle>
          <div className="flex items-center gap-2">
            <span className="text-xs text-muted-foreground" aria-live="polite">
              {compare.length}/2 chosen to compare
            </span>
            <Button
              size="sm"
              variant="outline"
              disabled={compare.length !== 2}
              onClick={() => setComparing(true)}
            >
              <GitCompare />
              Compare
            </Button>
          </div>
        </CardHeader>
        <CardContent className="p-0">
          {runs.isPending ? (
            <div className="space-y-2 p-5" aria-busy="true" aria-label="Loading the runs">
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-10 w-full" />
            </div>
          ) : runs.isError ? (
            <ErrorState
              title="Could not load the runs"
              error={runs.error}
              onRetry={() => runs.refetch()}
              className="m-5"
            />
          ) : items.length === 0 ? (
            <EmptyState
              icon={Lightbulb}
              title="No insight runs yet"
              description="Run insights to get the first summary."
            />
          ) : (
            <ul className="divide-y" aria-label="Insight runs">
              {items.map((run) => {
                const checked = compare.includes(run.id);
                return (
                  <li
                    key={run.id}
                    className={cn(
                      'flex flex-wrap items-center gap-3 px-5 py-3',
                      selectedId === run.id && 'bg-muted/50',
                    )}
                  >
                    <input
                      type="checkbox"
                      className="size-4 accent-indigo-600"
                      aria-label={`Compare the run of ${formatDateTime(run.created_at)}`}
                      checked={checked}
                      disabled={!checked && compare.length >= 2}
                      onChange={() => {
                        setComparing(false);
                        setCompare((current) =>
                          checked ? current.filter((id) => id !== run.id) : [...current, run.id].slice(-2),
                        );
                      }}
                    />
                    <button
                      type="button"
                      className="min-w-0 flex-1 text-left"
                      onClick={() => {
                        setComparing(false);
                        setSelectedId(run.id);
                      }}
                    >
                      <span className="block text-sm font-medium hover:underline">
                        {formatDateTime(run.created_at)}
                      </span>
                      <span className="block truncate text-xs text-muted-foreground">
                        {run.summary ?? filtersText(run.filters)}
                      </span>
                    </button>
                    <KindBadge run={run} />
                    <StatusBadge run={run} />
                  </li>
                );
              })}
            </ul>
          )}
        </CardContent>
        {items.length > 0 ? (
          <div className="flex justify-end border-t px-5 py-3 text-sm text-muted-foreground">
            <LoadMore query={runs} />
          </div>
        ) : null}
      </Card>
    </div>
  );
}
