// "Retry all matching": the count of retryable jobs the filters match, a confirmation, POST /api/jobs/retry.
import * as React from 'react';
import { RotateCcw } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { retryTarget } from '@/features/operations/filters';
import { STATE_LABELS } from '@/features/operations/job-states';
import { useJobCount, useRetryMatching } from '@/features/operations/queries';
import type { JobFilters } from '@/lib/api';

interface RetryMatchingProps {
  filters: JobFilters;
  /** The jobs list's `total` for the same filters. */
  listTotal: number | undefined;
}

export function RetryMatchingButton({ filters, listTotal }: RetryMatchingProps) {
  const target = retryTarget(filters);
  // Filtered by a retryable state, the list already counts them; otherwise ask for the dead ones.
  const countedByList = target !== null && filters.state === target;
  const counted = useJobCount(filters, target, !countedByList);
  const count = countedByList ? listTotal : counted.data;
  const [open, setOpen] = React.useState(false);
  const retry = useRetryMatching();

  // Queued, processing and succeeded jobs cannot be retried: nothing to offer.
  if (target === null) return null;
  const noun = `${STATE_LABELS[target].toLowerCase()} ${count === 1 ? 'job' : 'jobs'}`;
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        disabled={!count}
        aria-label={count === undefined ? 'Retry all matching' : `Retry all matching (${count} ${noun})`}
        onClick={() => {
          retry.reset();
          setOpen(true);
        }}
      >
        <RotateCcw />
        Retry all matching
        {count !== undefined ? (
          <span className="rounded bg-muted px-1.5 text-xs tabular-nums text-muted-foreground">{count}</span>
        ) : null}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Retry ${count ?? 0} ${noun}?`}
        description={`Every ${STATE_LABELS[target].toLowerCase()} job that matches the current filters is queued to run now${
          filters.state ? '' : ' (with no state chosen, retrying acts on dead jobs)'
        }. Jobs that already reached the platform are never sent twice.`}
        confirmLabel="Retry them"
        pending={retry.isPending}
        error={retry.error}
        onConfirm={() =>
          retry.mutate(
            { ...filters, state: target },
            {
              onSuccess: ({ count: queued }) => {
                setOpen(false);
                toast.success(`${queued} ${queued === 1 ? 'job' : 'jobs'} queued`);
              },
            },
          )
        }
      />
    </>
  );
}
