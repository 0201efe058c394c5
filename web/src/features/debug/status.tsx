// Green/amber/red indicators for health checks.
import { Badge } from '@/components/ui/badge';
import type { CheckStatus } from '@/lib/api';
import { cn } from '@/lib/utils';

const DOT: Record<CheckStatus, string> = {
  green: 'bg-emerald-500 ring-emerald-500/20',
  amber: 'bg-amber-500 ring-amber-500/20',
  red: 'bg-red-500 ring-red-500/20',
};

const LABEL: Record<CheckStatus, string> = { green: 'Healthy', amber: 'Warning', red: 'Failing' };

export function StatusDot({ status, className }: { status: CheckStatus; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn('inline-block size-2.5 shrink-0 rounded-full ring-4', DOT[status], className)}
    />
  );
}

export function StatusBadge({ status }: { status: CheckStatus }) {
  return <Badge variant={status}>{LABEL[status]}</Badge>;
}
