// One usage meter: the limit's name, "used of limit" (or "unlimited"), and a bar that turns amber at 80 %
// and red at 100 %.
import { countOf, formatCount, limitLabel } from '@/lib/plan-limits';
import type { Meter } from '@/features/billing/usage';
import { cn } from '@/lib/utils';

const BAR_COLOUR: Record<Meter['level'], string> = {
  unlimited: 'bg-transparent',
  ok: 'bg-primary',
  warning: 'bg-amber-500',
  full: 'bg-red-600',
};

export function UsageMeter({ meter }: { meter: Meter }) {
  const { limit, used, max, level } = meter;
  const label = limitLabel(limit);
  const percent = max === null ? 0 : max <= 0 ? 100 : Math.min(100, Math.round((used / max) * 100));
  const amount =
    max === null ? `${formatCount(used)} · unlimited` : `${formatCount(used)} of ${formatCount(max)}`;
  const note =
    level === 'full'
      ? used > (max ?? 0)
        ? 'Over the limit'
        : 'Limit reached'
      : level === 'warning'
        ? `${percent}% used`
        : null;
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 text-sm">
        <span className="font-medium">{label}</span>
        <span className="tabular-nums text-muted-foreground">
          {note ? (
            <span className={cn('mr-2 font-medium', level === 'full' ? 'text-red-700' : 'text-amber-700')}>
              {note}
            </span>
          ) : null}
          {amount}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max ?? undefined}
        aria-valuenow={max === null ? undefined : used}
        aria-valuetext={
          max === null ? `${countOf(limit, used)}, unlimited` : `${formatCount(used)} of ${formatCount(max)}`
        }
        data-level={level}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn('h-full rounded-full transition-[width]', BAR_COLOUR[level])}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
