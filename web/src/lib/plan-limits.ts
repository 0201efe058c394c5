// What a plan's limits and features are called, and the one message a 402 from the server turns into
// ("Your Free plan allows 3 bots; you have 3. Upgrade on the Billing page."), ADR 0034 "Billing UI".

/** Limit names of ADR 0034, in the order the Billing page lists them. */
export const LIMIT_NAMES = [
  'bots',
  'integrations',
  'members',
  'messages_per_month',
  'insight_runs_per_month',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number] | 'retention_days';

interface LimitWords {
  /** The meter's label. */
  label: string;
  one: string;
  many: string;
}

const LIMIT_WORDS: Record<string, LimitWords> = {
  bots: { label: 'Bots', one: 'bot', many: 'bots' },
  integrations: { label: 'Integrations', one: 'integration', many: 'integrations' },
  members: { label: 'Members and open invitations', one: 'member', many: 'members' },
  messages_per_month: {
    label: 'Messages this period',
    one: 'message a month',
    many: 'messages a month',
  },
  messages: { label: 'Messages this period', one: 'message a month', many: 'messages a month' },
  insight_runs_per_month: {
    label: 'AI insight runs this period',
    one: 'AI insight run a month',
    many: 'AI insight runs a month',
  },
  insight_runs: {
    label: 'AI insight runs this period',
    one: 'AI insight run a month',
    many: 'AI insight runs a month',
  },
  retention_days: { label: 'Data retention', one: 'day of data retention', many: 'days of data retention' },
};

const FEATURE_WORDS: Record<string, string> = {
  csv_export: 'CSV export',
  advanced_analytics: 'advanced analytics',
  audit_log_retention_days: 'audit log retention',
};

/** "Bots", "Messages this period": a limit's label on a meter or a list. */
export function limitLabel(limit: string): string {
  return LIMIT_WORDS[limit]?.label ?? humanize(limit);
}

/** "3 bots", "1 bot", "10,000 messages a month". */
export function countOf(limit: string, count: number): string {
  const words = LIMIT_WORDS[limit];
  const noun = words ? (count === 1 ? words.one : words.many) : humanize(limit).toLowerCase();
  return `${formatCount(count)} ${noun}`;
}

export function featureLabel(feature: string): string {
  return FEATURE_WORDS[feature] ?? humanize(feature).toLowerCase();
}

/** "free" → "Free"; a plan's name when the server gave none. */
export function planName(key: string): string {
  return key ? key.charAt(0).toUpperCase() + key.slice(1) : 'current';
}

export function formatCount(count: number): string {
  return new Intl.NumberFormat('en-US').format(count);
}

function humanize(name: string): string {
  const text = name.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const UPGRADE_HINT = 'Upgrade on the Billing page.';

/** The details of 402 plan_limit_reached: the limit's name, what is used, the plan (ADR 0034). */
export interface PlanLimitDetails {
  limit?: unknown;
  used?: unknown;
  plan?: unknown;
  /** The plan's number for the limit, when the server sends it (or it was looked up in the plan list). */
  allowed?: unknown;
  plan_name?: unknown;
}

/**
 * The words of 402 plan_limit_reached: "Your Free plan allows 3 bots; you have 3. Upgrade on the Billing
 * page." Without the plan's number: "Your Free plan allows no more bots; you have 3. …".
 */
export function planLimitMessage(details: PlanLimitDetails): string {
  const limit = typeof details.limit === 'string' ? details.limit : '';
  const plan =
    typeof details.plan_name === 'string' && details.plan_name
      ? details.plan_name
      : planName(typeof details.plan === 'string' ? details.plan : '');
  const used = typeof details.used === 'number' ? details.used : null;
  const allowed = typeof details.allowed === 'number' ? details.allowed : null;
  if (!limit) return `Your ${plan} plan has reached one of its limits. ${UPGRADE_HINT}`;
  const allows =
    allowed !== null
      ? `allows ${countOf(limit, allowed)}`
      : `allows no more ${LIMIT_WORDS[limit]?.many ?? limit}`;
  const have = used !== null ? `; you have ${formatCount(used)}` : '';
  return `Your ${plan} plan ${allows}${have}. ${UPGRADE_HINT}`;
}

/** The words of 402 feature_not_in_plan: "Your Free plan does not include CSV export. …". */
export function featureNotInPlanMessage(details: { feature?: unknown; plan?: unknown }): string {
  const plan = planName(typeof details.plan === 'string' ? details.plan : '');
  const feature = typeof details.feature === 'string' ? featureLabel(details.feature) : 'this feature';
  return `Your ${plan} plan does not include ${feature}. ${UPGRADE_HINT}`;
}
