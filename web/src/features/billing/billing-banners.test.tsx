// App-wide banners (past due, over the limits) and the dashboard's usage warnings, for owners and admins.
import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useSession } from '@/features/auth/session';
import type { BillingOverview } from '@/features/billing/api';
import { BillingBanners } from '@/features/billing/billing-banners';
import { overview, permissionsFor } from '@/features/billing/fixtures';
import { UsageWarningsCard } from '@/features/billing/usage-warnings';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

function renderWith(
  ui: React.ReactElement,
  billing: BillingOverview,
  role: 'owner' | 'member' = 'owner',
  route = '/',
) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, { ...session, role }),
    'GET /api/permissions?org_id=org_1': () => jsonResponse(200, permissionsFor(role)),
    'GET /api/billing': () => jsonResponse(200, billing),
  });
  renderWithProviders(<SignedIn>{ui}</SignedIn>, { route });
  return fetchMock;
}

const usage = (changes: Partial<BillingOverview['usage']>): BillingOverview['usage'] => ({
  bots: 0,
  integrations: 0,
  members: 1,
  messages: 0,
  insight_runs: 0,
  ai_cost_micros: 0,
  ai_tokens: 0,
  ...changes,
});

describe('BillingBanners', () => {
  it('tells an owner the payment failed and by when to update the card', async () => {
    renderWith(
      <BillingBanners />,
      overview({
        plan: { key: 'pro', name: 'Pro' },
        status: 'past_due',
        past_due_grace_ends_at: '2026-12-13T12:00:00Z',
      }),
    );
    const banner = await screen.findByRole('region', { name: 'Payment failed' });
    expect(banner).toHaveTextContent('Payment failed. Update your card by Dec 13, 2026 to keep the Pro plan');
    expect(within(banner).getByRole('link', { name: 'Update payment' })).toHaveAttribute('href', '/billing');
  });

  it('lists which limits are exceeded after a downgrade', async () => {
    renderWith(
      <BillingBanners />,
      overview({ exceeded: ['bots', 'integrations'], usage: usage({ bots: 7, integrations: 3 }) }),
    );
    const banner = await screen.findByRole('region', { name: 'Plan limits exceeded' });
    expect(within(banner).getByText('Bots: 7 of 3 bots allowed')).toBeInTheDocument();
    expect(within(banner).getByText('Integrations: 3 of 2 integrations allowed')).toBeInTheDocument();
    expect(banner).toHaveTextContent('nothing is deleted or paused');
    expect(within(banner).getByRole('link', { name: 'See plans' })).toHaveAttribute('href', '/billing');
  });

  it('shows nothing when all is well, and never asks for billing for a member', async () => {
    const owner = renderWith(<BillingBanners />, overview());
    await waitFor(() => expect(owner.mock.calls.some(([url]) => url === '/api/billing')).toBe(true));
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.queryByRole('region')).not.toBeInTheDocument();

    const fetchMock = renderWith(<BillingBanners />, overview({ status: 'past_due' }), 'member');
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(fetchMock.mock.calls.some(([url]) => url === '/api/billing')).toBe(false);
    expect(screen.queryByRole('region', { name: 'Payment failed' })).not.toBeInTheDocument();
  });
});

describe('UsageWarningsCard (dashboard)', () => {
  it('warns at 80 % in amber and at 100 % in red, with a link to Billing', async () => {
    renderWith(<UsageWarningsCard />, overview({ usage: usage({ bots: 3, messages: 400 }) }));
    const card = await screen.findByRole('region', { name: 'Usage warnings' });
    expect(within(card).getByText('Plan limit reached')).toBeInTheDocument();
    expect(within(card).getByRole('progressbar', { name: 'Bots' })).toHaveAttribute('data-level', 'full');
    expect(within(card).getByRole('progressbar', { name: 'Messages this period' })).toHaveAttribute(
      'data-level',
      'warning',
    );
    expect(within(card).queryByRole('progressbar', { name: 'Integrations' })).not.toBeInTheDocument();
    expect(within(card).getByRole('link', { name: /Billing/ })).toHaveAttribute('href', '/billing');
  });

  it('says "nearing" when nothing is full yet, and nothing below 80 %', async () => {
    renderWith(<UsageWarningsCard />, overview({ usage: usage({ integrations: 1, messages: 450 }) }));
    const card = await screen.findByRole('region', { name: 'Usage warnings' });
    expect(within(card).getByText('Nearing your plan’s limits')).toBeInTheDocument();
  });
});
