// A shorter retention announced after a downgrade (ADR 0036): what will be deleted, from when, and what
// applies until then. Nothing shows while no change is announced.
import { CalendarClock } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { RetentionPolicy } from '@/features/billing/api';
import { useRetention } from '@/features/billing/queries';
import { formatDate } from '@/lib/utils';

const WHAT: Record<RetentionPolicy['kind'], string> = {
  data: 'Conversations (with their messages) and webhook deliveries',
  audit: 'Audit log entries',
};

export function RetentionNotice({ enabled }: { enabled: boolean }) {
  const retention = useRetention(enabled);
  if (retention.isError) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        Could not check for retention changes: {retention.error.message}
      </p>
    );
  }
  return <RetentionNoticeList policies={retention.data ?? []} />;
}

export function RetentionNoticeList({ policies }: { policies: RetentionPolicy[] }) {
  const announced = policies.filter((p) => p.pending_days !== null && p.pending_effective_at !== null);
  if (announced.length === 0) return null;
  return (
    <div className="space-y-3">
      {announced.map((p) => (
        <Alert key={p.kind} variant="warning" role="region" aria-label={`Retention change: ${p.kind}`}>
          <CalendarClock className="mt-0.5 size-4 shrink-0" />
          <p>
            <span className="font-medium">
              From {formatDate(p.pending_effective_at!)}, {WHAT[p.kind].toLowerCase()} older than{' '}
              {p.pending_days} days will be deleted.
            </span>{' '}
            Until then they are kept{' '}
            {p.applied_days === null ? 'without a limit' : `for ${p.applied_days} days`}. Export what you need
            before that date, or choose a plan that keeps them longer.
          </p>
        </Alert>
      ))}
    </div>
  );
}
