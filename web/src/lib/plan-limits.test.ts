// The words of a 402: the plan's name, what it allows, what the organisation has, and where to upgrade.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, isPlanError } from '@/lib/api';
import { featureNotInPlanMessage, planLimitMessage } from '@/lib/plan-limits';
import { jsonResponse, mockFetch } from '@/test/utils';

afterEach(() => vi.unstubAllGlobals());

const plans = [
  {
    key: 'free',
    name: 'Free',
    price_label: '$0',
    purchasable: false,
    limits: {
      bots: 3,
      integrations: 2,
      members: 3,
      messages_per_month: 500,
      insight_runs_per_month: 5,
      retention_days: 30,
    },
    features: { csv_export: false, advanced_analytics: false, audit_log_retention_days: null },
  },
];

describe('planLimitMessage', () => {
  it('names the plan, the number it allows and what the organisation has', () => {
    expect(planLimitMessage({ limit: 'bots', used: 3, plan: 'free', allowed: 3 })).toBe(
      'Your Free plan allows 3 bots; you have 3. Upgrade on the Billing page.',
    );
    expect(planLimitMessage({ limit: 'integrations', used: 1, plan: 'pro', allowed: 1 })).toBe(
      'Your Pro plan allows 1 integration; you have 1. Upgrade on the Billing page.',
    );
    expect(planLimitMessage({ limit: 'messages_per_month', used: 10000, plan: 'pro', allowed: 10000 })).toBe(
      'Your Pro plan allows 10,000 messages a month; you have 10,000. Upgrade on the Billing page.',
    );
  });

  it('still reads well without the number, or with details of the wrong types', () => {
    expect(planLimitMessage({ limit: 'bots', used: 5, plan: 'free' })).toBe(
      'Your Free plan allows no more bots; you have 5. Upgrade on the Billing page.',
    );
    expect(planLimitMessage({ limit: 42, used: 'many', plan: null })).toBe(
      'Your current plan has reached one of its limits. Upgrade on the Billing page.',
    );
    expect(featureNotInPlanMessage({ feature: 'csv_export', plan: 'free' })).toBe(
      'Your Free plan does not include CSV export. Upgrade on the Billing page.',
    );
  });
});

describe('402 in the API client (the one place the words are made)', () => {
  it('turns plan_limit_reached into the clear message, with the number from the plan list', async () => {
    mockFetch({
      'POST /api/bots': () =>
        jsonResponse(402, {
          error: {
            code: 'plan_limit_reached',
            message: 'Plan limit reached.',
            details: { limit: 'bots', used: 3, plan: 'free' },
          },
        }),
      'GET /api/billing/plans': () => jsonResponse(200, plans),
    });
    const error = await api.bots.create({ name: 'Fourth' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isPlanError(error)).toBe(true);
    expect((error as ApiError).message).toBe(
      'Your Free plan allows 3 bots; you have 3. Upgrade on the Billing page.',
    );
    expect((error as ApiError).details).toEqual({ limit: 'bots', used: 3, plan: 'free' });
  });

  it('keeps a clear message when the plan list cannot be read', async () => {
    mockFetch({
      'POST /api/integrations': () =>
        jsonResponse(402, {
          error: {
            code: 'plan_limit_reached',
            message: 'Plan limit reached.',
            details: { limit: 'integrations', used: 2, plan: 'free' },
          },
        }),
      'GET /api/billing/plans': () => jsonResponse(500, { error: { code: 'internal', message: 'Boom' } }),
    });
    const error = (await api.integrations
      .create({ platform: 'telegram', name: 'x', credentials: {} })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe(
      'Your Free plan allows no more integrations; you have 2. Upgrade on the Billing page.',
    );
  });

  it('uses the number the server sends without asking for the plans', async () => {
    const fetchMock = mockFetch({
      'POST /api/orgs/org_1/invites': () =>
        jsonResponse(402, {
          error: {
            code: 'plan_limit_reached',
            message: 'Plan limit reached.',
            details: { limit: 'members', used: 3, plan: 'free', allowed: 3 },
          },
        }),
    });
    const error = (await api.invites
      .create('org_1', { email: 'x@example.com', role: 'member' })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('Your Free plan allows 3 members; you have 3. Upgrade on the Billing page.');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('leaves other errors alone', async () => {
    mockFetch({
      'POST /api/bots': () => jsonResponse(409, { error: { code: 'conflict', message: 'Taken.' } }),
    });
    const error = (await api.bots.create({ name: 'x' }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('Taken.');
    expect(isPlanError(error)).toBe(false);
  });
});
