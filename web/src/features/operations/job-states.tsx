// A reply job's states: their labels, badge colours, and which states allow a retry or a cancel.
import { Badge } from '@/components/ui/badge';
import type { JobReasonKind, JobState } from '@/lib/api';

export const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  processing: 'Processing',
  succeeded: 'Succeeded',
  failed: 'Failed',
  dead: 'Dead',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  in_doubt: 'In doubt',
};

const STATE_VARIANTS = {
  queued: 'secondary',
  processing: 'blue',
  succeeded: 'green',
  failed: 'amber',
  dead: 'red',
  cancelled: 'outline',
  skipped: 'outline',
  in_doubt: 'amber',
} as const satisfies Record<JobState, string>;

/** The server retries only these (POST /api/jobs/:id/retry and /api/jobs/retry). */
export const RETRYABLE_STATES: readonly JobState[] = ['failed', 'dead', 'cancelled'];
export const CANCELLABLE_STATES: readonly JobState[] = ['queued', 'failed'];
/** A send a crash left in doubt, held by the account's policy: a person resends or discards it. */
export const IN_DOUBT_STATES: readonly JobState[] = ['in_doubt'];
export const IN_DOUBT_HELP =
  'The server stopped while this reply was being sent: the platform may or may not have delivered it. This account holds such replies (at most once): resend it if the person did not get it, or discard it.';
/** Nothing happens to a job in these states unless someone retries it. */
export const FINAL_STATES: readonly JobState[] = ['succeeded', 'dead', 'cancelled', 'skipped'];
/** A worker has it or will soon: worth watching closely. */
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'processing'];

export function JobStateBadge({ state }: { state: JobState }) {
  return (
    <Badge variant={STATE_VARIANTS[state] ?? 'secondary'} data-testid="job-state">
      {STATE_LABELS[state] ?? state}
    </Badge>
  );
}

export const REASON_LABELS: Record<JobReasonKind, { label: string; help: string }> = {
  recipient: {
    label: 'Recipient unreachable',
    help: 'The platform will not deliver to this person or chat (blocked the bot, chat gone, reply window closed, opted out). The account itself is fine; retrying will not help.',
  },
  credentials: {
    label: 'Credentials refused',
    help: 'The platform refused the account’s credentials. Edit the integration and enter them again.',
  },
  request: { label: 'Request refused', help: 'The platform refused the request; retrying will not help.' },
  unavailable: {
    label: 'Platform unavailable',
    help: 'The platform kept failing until no attempts were left.',
  },
  setup: { label: 'Setup', help: 'No bot is deployed on this account, or the account cannot be used.' },
  quota: {
    label: 'Monthly quota used',
    help: 'The message came in after the organization used its monthly messages: the bot’s over-quota notice was sent instead of a reply, without asking the AI. Skipped jobs are never retried; see Billing to change the plan.',
  },
};

/** Why a dead or skipped job stopped, as a small badge with the explanation as its title. */
export function JobReasonBadge({ kind }: { kind: JobReasonKind | null }) {
  if (!kind) return null;
  const reason = REASON_LABELS[kind];
  return (
    <Badge variant={kind === 'recipient' ? 'amber' : 'outline'} title={reason?.help} data-testid="job-reason">
      {reason?.label ?? kind}
    </Badge>
  );
}
