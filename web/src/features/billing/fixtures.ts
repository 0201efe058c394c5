// Billing answers for tests, in the shapes of ADR 0034: a Free organisation with billing on, and the plans.
import type { BillingOverview, PlanCard } from '@/features/billing/api';

const FREE_LIMITS = {
  bots: 3,
  integrations: 2,
  members: 3,
  messages_per_month: 500,
  insight_runs_per_month: 5,
  retention_days: 30,
};

export function overview(changes: Partial<BillingOverview> = {}): BillingOverview {
  return {
    enabled: true,
    stripe_configured: true,
    plan: { key: 'free', name: 'Free' },
    status: 'active',
    grandfathered: false,
    current_period_end: '2027-01-01T00:00:00Z',
    cancel_at_period_end: false,
    past_due_grace_ends_at: null,
    limits: FREE_LIMITS,
    features: { csv_export: false, advanced_analytics: false, audit_log_retention_days: null },
    usage: {
      bots: 1,
      integrations: 0,
      members: 1,
      messages: 12,
      insight_runs: 0,
      ai_cost_micros: 0,
      ai_tokens: 0,
    },
    exceeded: [],
    ...changes,
  };
}

export const plans: PlanCard[] = [
  {
    key: 'free',
    name: 'Free',
    price_label: '$0 / month',
    purchasable: false,
    limits: FREE_LIMITS,
    features: { csv_export: false, advanced_analytics: false, audit_log_retention_days: null },
  },
  {
    key: 'pro',
    name: 'Pro',
    price_label: '$29 / month',
    purchasable: true,
    limits: {
      bots: 20,
      integrations: 10,
      members: 10,
      messages_per_month: 10000,
      insight_runs_per_month: 100,
      retention_days: 365,
    },
    features: { csv_export: true, advanced_analytics: true, audit_log_retention_days: 90 },
  },
  {
    key: 'business',
    name: 'Business',
    price_label: '$99 / month',
    purchasable: false,
    limits: {
      bots: 100,
      integrations: 50,
      members: 50,
      messages_per_month: 100000,
      insight_runs_per_month: 1000,
      retention_days: 730,
    },
    features: { csv_export: true, advanced_analytics: true, audit_log_retention_days: 365 },
  },
];

/** GET /api/permissions for a role: owners manage billing, admins read it, others neither. */
export function permissionsFor(role: 'owner' | 'admin' | 'member' | 'viewer') {
  const allowed = ['bots.read', 'integrations.read'];
  if (role === 'owner' || role === 'admin') allowed.push('billing.read', 'bots.manage');
  if (role === 'owner') allowed.push('billing.manage');
  return {
    roles: ['owner', 'admin', 'member', 'viewer'],
    actions: [],
    role,
    organization_id: 'org_1',
    allowed,
  };
}
