// A reply job's states: their labels, badge colours, and which states allow a retry or a cancel.
import { Badge } from '@/components/ui/badge';
import type { JobState } from '@/lib/api';

export const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  processing: 'Processing',
  succeeded: 'Succeeded',
  failed: 'Failed',
  dead: 'Dead',
  cancelled: 'Cancelled',
};

const STATE_VARIANTS = {
  queued: 'secondary',
  processing: 'blue',
  succeeded: 'green',
  failed: 'amber',
  dead: 'red',
  cancelled: 'outline',
} as const satisfies Record<JobState, string>;

/** The server retries only these (POST /api/jobs/:id/retry and /api/jobs/retry). */
export const RETRYABLE_STATES: readonly JobState[] = ['failed', 'dead', 'cancelled'];
export const CANCELLABLE_STATES: readonly JobState[] = ['queued', 'failed'];
/** Nothing happens to a job in these states unless someone retries it. */
export const FINAL_STATES: readonly JobState[] = ['succeeded', 'dead', 'cancelled'];
/** A worker has it or will soon: worth watching closely. */
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'processing'];

export function JobStateBadge({ state }: { state: JobState }) {
  return (
    <Badge variant={STATE_VARIANTS[state] ?? 'secondary'} data-testid="job-state">
      {STATE_LABELS[state] ?? state}
    </Badge>
  );
}
