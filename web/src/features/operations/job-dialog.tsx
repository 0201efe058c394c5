// One job opened from the table: message, reply, attempts timeline, original event; Retry and Cancel.
import * as React from 'react';
import { Ban, Loader2, RotateCcw, Send, Trash2 } from 'lucide-react';
import { toast } from 'sonner';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogCloseButton,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { SourceBadge } from '@/features/bots/reply-meta';
import { platformMeta } from '@/features/integrations/platform-meta';
import { EventPayload } from '@/features/operations/event-payload';
import { attemptsOf, formatDuration, formatTimestamp } from '@/features/operations/format';
import {
  CANCELLABLE_STATES,
  IN_DOUBT_HELP,
  IN_DOUBT_STATES,
  JobReasonBadge,
  JobStateBadge,
  REASON_LABELS,
  RETRYABLE_STATES,
} from '@/features/operations/job-states';
import { JobTimeline } from '@/features/operations/job-timeline';
import { useJob, useJobAction } from '@/features/operations/queries';
import type { JobDetail } from '@/lib/api';

interface JobDialogProps {
  jobId: string | null;
  onClose: () => void;
  canManage: boolean;
}

export function JobDialog({ jobId, onClose, canManage }: JobDialogProps) {
  const onOpenChange = React.useCallback(
    (open: boolean) => {
      if (!open) onClose();
    },
    [onClose],
  );
  return (
    <Dialog open={jobId !== null} onOpenChange={onOpenChange} className="max-w-3xl">
      {jobId ? <JobView jobId={jobId} canManage={canManage} onClose={onClose} /> : null}
      <DialogCloseButton />
    </Dialog>
  );
}

function JobView({ jobId, canManage, onClose }: { jobId: string; canManage: boolean; onClose: () => void }) {
  const job = useJob(jobId, { watch: 'active', everyMs: 2_000 });
  const retry = useJobAction('retry');
  const cancel = useJobAction('cancel');
  const resend = useJobAction('resend');
  const discard = useJobAction('discard');
  const actionError = retry.error ?? cancel.error ?? resend.error ?? discard.error;
  const busy = retry.isPending || cancel.isPending || resend.isPending || discard.isPending;
  const inDoubt = job.data ? IN_DOUBT_STATES.includes(job.data.state) : false;

  return (
    <>
      <DialogHeader>
        <DialogTitle className="flex flex-wrap items-center gap-2">
          Job <code className="font-mono text-base">{jobId}</code>
          {job.data ? <JobStateBadge state={job.data.state} /> : null}
        </DialogTitle>
        <DialogDescription>
          {job.data
            ? `${platformMeta(job.data.platform).label} · ${job.data.integration_name}${job.data.bot_name ? ` · ${job.data.bot_name}` : ''}`
            : 'A delivered message and its reply.'}
        </DialogDescription>
      </DialogHeader>
      {job.isPending ? (
        <div aria-busy="true" aria-label="Loading the job" className="grid gap-2">
          <Skeleton className="h-24 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : job.isError && !job.data ? (
        <ErrorAlert error={job.error} />
      ) : (
        <div className="-mx-6 max-h-[65vh] space-y-6 overflow-y-auto px-6">
          {inDoubt ? (
            <p
              role="note"
              data-testid="in-doubt-note"
              className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
            >
              {IN_DOUBT_HELP}
            </p>
          ) : null}
          <JobSummary job={job.data} />
          <section aria-labelledby="job-timeline" className="space-y-2">
            <h3 id="job-timeline" className="text-sm font-semibold">
              Timeline
            </h3>
            <JobTimeline logs={job.data.logs} />
          </section>
          <section aria-labelledby="job-event" className="space-y-2">
            <h3 id="job-event" className="text-sm font-semibold">
              Original event
            </h3>
            {job.data.event ? (
              <EventPayload event={job.data.event} />
            ) : (
              <p className="text-sm text-muted-foreground">The event is not available.</p>
            )}
          </section>
        </div>
      )}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Close
        </Button>
        {canManage && job.data && CANCELLABLE_STATES.includes(job.data.state) ? (
          <Button
            type="button"
            variant="outline"
            disabled={busy}
            onClick={() => {
              retry.reset();
              cancel.mutate(jobId, { onSuccess: () => toast.success('Job cancelled') });
            }}
          >
            {cancel.isPending ? <Loader2 className="animate-spin" /> : <Ban />}
            Cancel job
          </Button>
        ) : null}
        {canManage && inDoubt ? (
          <>
            <Button
              type="button"
              variant="outline"
              disabled={busy}
              onClick={() => {
                resend.reset();
                discard.mutate(jobId, { onSuccess: () => toast.success('Reply discarded') });
              }}
            >
              {discard.isPending ? <Loader2 className="animate-spin" /> : <Trash2 />}
              Discard
            </Button>
            <Button
              type="button"
              disabled={busy}
              onClick={() => {
                discard.reset();
                resend.mutate(jobId, { onSuccess: () => toast.success('Reply queued to be sent again') });
              }}
            >
              {resend.isPending ? <Loader2 className="animate-spin" /> : <Send />}
              Resend
            </Button>
          </>
        ) : null}
        {canManage && job.data && RETRYABLE_STATES.includes(job.data.state) ? (
          <Button
            type="button"
            disabled={busy}
            onClick={() => {
              cancel.reset();
              retry.mutate(jobId, { onSuccess: () => toast.success('Job queued to run now') });
            }}
          >
            {retry.isPending ? <Loader2 className="animate-spin" /> : <RotateCcw />}
            Retry
          </Button>
        ) : null}
      </DialogFooter>
    </>
  );
}

function JobSummary({ job }: { job: JobDetail }) {
  const facts: [string, React.ReactNode][] = [
    ['Received', formatTimestamp(job.created_at)],
    [
      job.finished_at ? 'Finished' : 'Next run',
      job.finished_at
        ? formatTimestamp(job.finished_at)
        : job.next_run_at
          ? formatTimestamp(job.next_run_at)
          : '—',
    ],
    ['Attempts', attemptsOf(job)],
    ['Time to reply', formatDuration(job.latency_ms)],
    ['User', <code className="font-mono text-xs">{job.external_user_id || '—'}</code>],
    ['Message id', <code className="font-mono text-xs">{job.external_message_id || '—'}</code>],
    ['Platform message id', <code className="font-mono text-xs">{job.platform_message_id ?? '—'}</code>],
    ['Event', <code className="font-mono text-xs">{job.event_id}</code>],
  ];
  return (
    <div className="space-y-4">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {facts.map(([term, value]) => (
          <div key={term} className="flex items-baseline justify-between gap-3 border-b py-1.5">
            <dt className="shrink-0 text-muted-foreground">{term}</dt>
            <dd className="min-w-0 truncate text-right">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <p className="text-xs font-medium text-muted-foreground">Message</p>
          <p className="whitespace-pre-wrap break-words rounded-md border bg-muted/30 px-3 py-2 text-sm">
            {job.inbound_text || <em className="text-muted-foreground">No text</em>}
          </p>
        </div>
        <div className="space-y-1">
          <p className="flex items-center gap-2 text-xs font-medium text-muted-foreground">
            Reply {job.reply_source ? <SourceBadge source={job.reply_source} /> : null}
          </p>
          <p className="whitespace-pre-wrap break-words rounded-md border bg-sky-50/50 px-3 py-2 text-sm">
            {job.reply_text ?? <em className="text-muted-foreground">Not generated yet</em>}
          </p>
        </div>
      </div>
      {job.last_error ? (
        <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {job.reason_kind ? (
            <span className="mb-1 flex flex-wrap items-center gap-2">
              <JobReasonBadge kind={job.reason_kind} />
              <span className="text-xs">{REASON_LABELS[job.reason_kind]?.help}</span>
            </span>
          ) : null}
          <span className="font-medium">Last error:</span> {job.last_error}
        </p>
      ) : null}
    </div>
  );
}
