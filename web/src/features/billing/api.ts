// Billing through the one API client: the organisation's plan, usage and status, the plan cards,
// Checkout and the customer portal, invoices, and a platform admin's plan change (ADR 0034 "HTTP").
import { request } from '@/lib/api';

/** Null means unlimited. */
export interface PlanLimits {
  bots: number | null;
  integrations: number | null;
  members: number | null;
  messages_per_month: number | null;
  insight_runs_per_month: number | null;
  retention_days: number | null;
}

export interface PlanFeatures {
  csv_export: boolean;
  advanced_analytics: boolean;
  audit_log_retention_days: number | null;
}

export type SubscriptionStatus =
  | 'active'
  | 'trialing'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'incomplete'
  | 'incomplete_expired'
  | 'none'
  | (string & {});

export interface BillingUsage {
  bots: number;
  integrations: number;
  members: number;
  messages: number;
  insight_runs: number;
  ai_cost_micros: number;
  ai_tokens: number;
}

/** GET /api/billing (owners and admins). */
export interface BillingOverview {
  /** Billing is on: plans and limits apply. Off: every organisation is unlimited. */
  enabled: boolean;
  /** Stripe keys are configured: Checkout, the portal and invoices work. */
  stripe_configured: boolean;
  plan: { key: string; name: string };
  status: SubscriptionStatus;
  grandfathered: boolean;
  /** RFC 3339; the renewal date, or the end date when cancelling at period end. */
  current_period_end: string | null;
  cancel_at_period_end: boolean;
  /** RFC 3339; the end of the period usage is counted for (the calendar month on Free). */
  period_end?: string;
  /** RFC 3339; while past_due, when the paid plan falls back to Free. */
  past_due_grace_ends_at: string | null;
  limits: PlanLimits;
  features: PlanFeatures;
  usage: BillingUsage;
  /** Names of the limits the organisation is over (after a downgrade), e.g. ["bots"]. */
  exceeded: string[];
}

/** One plan card of GET /api/billing/plans. */
export interface PlanCard {
  key: string;
  name: string;
  price_label: string;
  limits: PlanLimits;
  features: PlanFeatures;
  /** Can be bought through Checkout (it has a Stripe price and Stripe is configured). */
  purchasable: boolean;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: string;
  /** Integer cents. */
  amount_due: number;
  amount_paid: number;
  currency: string;
  /** RFC 3339 (or Unix seconds from a server that passes Stripe's value through). */
  created: string | number;
  hosted_invoice_url: string | null;
}

/** GET /api/billing/retention: how long each kind of data is kept, and a shorter retention announced. */
export interface RetentionPolicy {
  /** data: conversations with their messages and webhook deliveries; audit: the audit log. */
  kind: 'data' | 'audit';
  /** Days kept now; null keeps everything. */
  applied_days: number | null;
  pending_days: number | null;
  /** RFC 3339: when pending_days takes over. */
  pending_effective_at: string | null;
}

/** The plan list: an array per the contract; `{items}` or `{plans}` are read too. */
function plansOf(body: PlanCard[] | { items?: PlanCard[]; plans?: PlanCard[] }): PlanCard[] {
  if (Array.isArray(body)) return body;
  return body.plans ?? body.items ?? [];
}

export const billingApi = {
  overview: () => request<BillingOverview>('GET', '/api/billing'),
  plans: async () => plansOf(await request<PlanCard[] | { items?: PlanCard[] }>('GET', '/api/billing/plans')),
  checkout: (plan: string) => request<{ url: string }>('POST', '/api/billing/checkout', { plan }),
  portal: () => request<{ url: string }>('POST', '/api/billing/portal'),
  invoices: async () =>
    (await request<{ invoices: Invoice[] }>('GET', '/api/billing/invoices')).invoices ?? [],
  retention: async () =>
    (await request<{ items: RetentionPolicy[] }>('GET', '/api/billing/retention')).items ?? [],
  setOrganizationPlan: (orgId: string, plan: string) =>
    request<unknown>('PUT', `/api/admin/orgs/${encodeURIComponent(orgId)}/plan`, { plan }),
};
