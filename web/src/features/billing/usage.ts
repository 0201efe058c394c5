// From the billing overview to what the UI shows: one meter per limit, its level (amber at 80 %, red at
// 100 %), and the limits the organisation is over. The thresholds live here and nowhere else.
import type { BillingOverview, BillingUsage, PlanLimits } from '@/features/billing/api';
import { LIMIT_NAMES, type LimitName } from '@/lib/plan-limits';

export const WARNING_RATIO = 0.8;

export type MeterLevel = 'unlimited' | 'ok' | 'warning' | 'full';

/** unlimited (no limit), ok, warning (from 80 %), full (at or over the limit). */
export function meterLevel(used: number, limit: number | null): MeterLevel {
  if (limit === null || limit === undefined) return 'unlimited';
  if (limit <= 0 || used >= limit) return 'full';
  if (used >= limit * WARNING_RATIO) return 'warning';
  return 'ok';
}

/** The usage counter each limit is measured by. */
const USAGE_OF: Record<(typeof LIMIT_NAMES)[number], keyof BillingUsage> = {
  bots: 'bots',
  integrations: 'integrations',
  members: 'members',
  messages_per_month: 'messages',
  insight_runs_per_month: 'insight_runs',
};

export interface Meter {
  limit: LimitName;
  used: number;
  /** null: unlimited. */
  max: number | null;
  level: MeterLevel;
}

export function meters(limits: PlanLimits, usage: BillingUsage): Meter[] {
  return LIMIT_NAMES.map((limit) => {
    const used = usage[USAGE_OF[limit]] ?? 0;
    const max = limits[limit] ?? null;
    return { limit, used, max, level: meterLevel(used, max) };
  });
}

/** Whether limits apply to this organisation at all (billing on and not grandfathered). */
export function limitsApply(overview: BillingOverview): boolean {
  return overview.enabled && !overview.grandfathered;
}

/** The meters at 80 % or more, worst first: the dashboard's warnings. */
export function usageWarnings(overview: BillingOverview): Meter[] {
  if (!limitsApply(overview)) return [];
  const found = meters(overview.limits, overview.usage).filter(
    (meter) => meter.level === 'warning' || meter.level === 'full',
  );
  return found.sort((a, b) => Number(b.level === 'full') - Number(a.level === 'full'));
}

/** The meters of the limits the server says are exceeded, for the over-limit banner. */
export function exceededMeters(overview: BillingOverview): Meter[] {
  if (!overview.enabled || overview.exceeded.length === 0) return [];
  const all = meters(overview.limits, overview.usage);
  return overview.exceeded.map(
    (name) =>
      all.find((meter) => meter.limit === name) ?? {
        limit: name as LimitName,
        used: 0,
        max: null,
        level: 'full',
      },
  );
}

/** A paid plan bought through Stripe (so plan changes go through the customer portal). */
export function hasPaidPlan(overview: BillingOverview): boolean {
  return !overview.grandfathered && overview.plan.key !== 'free' && overview.plan.key !== 'unlimited';
}
