// A job's log rows as a timeline: time, worker, kind, from→to state, outcome, HTTP status, latency, error.
import { ArrowRight } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { formatDuration, formatTimestamp, outcomeLabel } from '@/features/operations/format';
import { JobStateBadge } from '@/features/operations/job-states';
import type { JobLog } from '@/lib/api';
import { cn } from '@/lib/utils';

export function JobTimeline({ logs }: { logs: JobLog[] }) {
  if (logs.length === 0) {
    return <p className="text-sm text-muted-foreground">Nothing logged yet: no worker has picked it up.</p>;
  }
  return (
    <ol aria-label="Attempts and state changes" className="relative ml-1.5 space-y-3 border-l pl-5">
      {logs.map((log, index) => (
        <li key={`${log.at}-${index}`} className="relative text-sm">
          <span
            aria-hidden
            className={cn(
              'absolute -left-[1.6rem] top-1.5 size-2.5 rounded-full border-2 border-background',
              log.error ? 'bg-red-500' : log.kind === 'attempt' ? 'bg-sky-500' : 'bg-zinc-400',
            )}
          />
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <time dateTime={log.at} className="text-xs text-muted-foreground">
              {formatTimestamp(log.at)}
            </time>
            <Badge variant="outline" className="font-normal">
              {log.kind === 'attempt' ? 'Attempt' : 'State'}
            </Badge>
            {log.from_state || log.to_state ? (
              <span className="inline-flex items-center gap-1">
                {log.from_state ? (
                  <JobStateBadge state={log.from_state} />
                ) : (
                  <span className="text-xs">new</span>
                )}
                <ArrowRight className="size-3 text-muted-foreground" />
                {log.to_state ? <JobStateBadge state={log.to_state} /> : <span className="text-xs">—</span>}
              </span>
            ) : null}
            <span className="font-medium" title={log.outcome}>
              {outcomeLabel(log.outcome)}
            </span>
          </div>
          <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-muted-foreground">
            <span>
              Worker <code className="font-mono">{log.worker || '—'}</code>
            </span>
            {log.http_status !== null ? <span>HTTP {log.http_status}</span> : null}
            {log.latency_ms !== null ? <span>{formatDuration(log.latency_ms)}</span> : null}
          </p>
          {log.error ? <p className="mt-1 break-words text-xs text-red-700">{log.error}</p> : null}
        </li>
      ))}
    </ol>
  );
}
