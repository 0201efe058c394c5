// A simulated delivery's event and job, polled every second until final, with each state seen and the reply.
import * as React from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ArrowRight, CircleCheck, ExternalLink, Loader2 } from 'lucide-react';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { SourceBadge } from '@/features/bots/reply-meta';
import { attemptsOf, formatDuration } from '@/features/operations/format';
import { FINAL_STATES, JobStateBadge } from '@/features/operations/job-states';
import { useJob, useWebhookEvent } from '@/features/operations/queries';
import type { JobState, SimulateAnswer } from '@/lib/api';

export const SIMULATION_POLL_MS = 1_000;

export function SimulationProgress({
  answer,
  onOpenJob,
}: {
  answer: SimulateAnswer;
  onOpenJob: (jobId: string) => void;
}) {
  const queryClient = useQueryClient();
  const job = useJob(answer.job_id, { watch: 'until-final', everyMs: SIMULATION_POLL_MS });
  const event = useWebhookEvent(answer.event_id);
  const [seen, setSeen] = React.useState<JobState[]>([]);
  const state = job.data?.state;
  const done = state !== undefined && FINAL_STATES.includes(state);

  React.useEffect(() => {
    if (state) setSeen((current) => (current[current.length - 1] === state ? current : [...current, state]));
  }, [state]);
  const attempts = job.data?.attempts;
  React.useEffect(() => {
    // The table and the counts now have something new to show: a finished job, or another attempt
    // made (so the table never says 3 of 6 while this says 4 of 6).
    if (done || (attempts ?? 0) > 0) void queryClient.invalidateQueries({ queryKey: ['jobs', 'list'] });
  }, [done, attempts, queryClient]);

  return (
    <section
      aria-label="Simulation progress"
      aria-live="polite"
      className="grid gap-3 rounded-md border bg-muted/20 p-4 text-sm"
    >
      <p className="flex flex-wrap items-center gap-2">
        <CircleCheck className="size-4 text-emerald-600" />
        {answer.duplicate
          ? 'Already stored: the server recognised a repeat delivery and queued nothing new.'
          : 'Delivered and stored as event'}
        <code className="font-mono text-xs">{answer.event_id}</code>
        {event.data ? (
          <span className="text-xs text-muted-foreground">
            ({event.data.kind}, {event.data.status})
          </span>
        ) : null}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-muted-foreground">Job</span>
        <code className="font-mono text-xs">{answer.job_id}</code>
        <ol aria-label="States seen" className="flex flex-wrap items-center gap-1">
          {seen.map((seenState, index) => (
            <li key={`${seenState}-${index}`} className="flex items-center gap-1">
              {index > 0 ? <ArrowRight className="size-3 text-muted-foreground" /> : null}
              <JobStateBadge state={seenState} />
            </li>
          ))}
        </ol>
        {!done && !job.isError ? (
          <Loader2 aria-label="Waiting for the job" className="size-4 animate-spin text-muted-foreground" />
        ) : null}
      </div>
      {job.isError ? <ErrorAlert error={job.error} /> : null}
      {job.data?.last_error && !done ? (
        <p className="text-xs text-amber-800">
          Attempt {attemptsOf(job.data)} failed: {job.data.last_error}
        </p>
      ) : null}
      {job.data?.reply_text ? (
        <div className="space-y-1">
          <p className="flex items-center gap-2 text-xs font-medium text-muted-foreground">
            Reply {job.data.reply_source ? <SourceBadge source={job.data.reply_source} /> : null}
            {job.data.latency_ms !== null ? <span>after {formatDuration(job.data.latency_ms)}</span> : null}
          </p>
          <p className="whitespace-pre-wrap break-words rounded-md border bg-background px-3 py-2">
            {job.data.reply_text}
          </p>
        </div>
      ) : null}
      {done && state !== 'succeeded' && job.data?.last_error ? (
        <p className="text-xs text-red-700">{job.data.last_error}</p>
      ) : null}
      <div>
        <Button type="button" variant="outline" size="sm" onClick={() => onOpenJob(answer.job_id)}>
          <ExternalLink />
          Open job
        </Button>
      </div>
    </section>
  );
}
