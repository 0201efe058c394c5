// /billing: plan and status, meters, plan cards with Upgrade/Manage for owners, invoices, the refusal for
// members, and the return from Checkout.
import * as React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import { overview, permissionsFor, plans } from '@/features/billing/fixtures';
import type { BillingOverview } from '@/features/billing/api';
import { redirectTo } from '@/features/billing/redirect';
import { BillingPage } from '@/pages/billing-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('@/features/billing/redirect', () => ({ redirectTo: vi.fn() }));
vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

type Handlers = Parameters<typeof mockFetch>[0];

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

function renderPage({
  role = 'owner',
  billing = overview(),
  handlers = {},
  route = '/billing',
}: {
  role?: 'owner' | 'admin' | 'member';
  billing?: BillingOverview;
  handlers?: Handlers;
  route?: string;
} = {}) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, { ...session, role }),
    'GET /api/permissions?org_id=org_1': () => jsonResponse(200, permissionsFor(role)),
    'GET /api/billing': () => jsonResponse(200, billing),
    'GET /api/billing/plans': () => jsonResponse(200, plans),
    'GET /api/billing/invoices': () => jsonResponse(200, { invoices: [] }),
    'GET /api/billing/retention': () =>
      jsonResponse(200, {
        items: [{ kind: 'data', applied_days: 30, pending_days: null, pending_effective_at: null }],
      }),
    ...handlers,
  });
  const rendered = renderWithProviders(
    <SignedIn>
      <BillingPage />
    </SignedIn>,
    { route },
  );
  return { fetchMock, ...rendered };
}

beforeEach(() => vi.mocked(redirectTo).mockClear());

describe('Billing page', () => {
  it('shows the plan, its status and renewal, a meter per limit and the plans', async () => {
    renderPage({
      billing: overview({
        usage: {
          bots: 3,
          integrations: 1,
          members: 1,
          messages: 410,
          insight_runs: 0,
          ai_cost_micros: 0,
          ai_tokens: 0,
        },
      }),
    });
    expect(await screen.findByText('Free plan')).toBeInTheDocument();
    expect(screen.getByText('Active')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Bots' })).toHaveAttribute('data-level', 'full');
    expect(screen.getByRole('progressbar', { name: 'Messages this period' })).toHaveAttribute(
      'data-level',
      'warning',
    );
    expect(screen.getByRole('progressbar', { name: 'Integrations' })).toHaveAttribute('data-level', 'ok');
    expect(screen.getByText('3 of 3')).toBeInTheDocument();
    const pro = await screen.findByRole('group', { name: 'Pro plan' });
    expect(within(pro).getByText('$29 / month')).toBeInTheDocument();
    expect(within(pro).getByText('20 bots')).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'Free plan' })).getByText('Current plan'),
    ).toBeInTheDocument();
    expect(await screen.findByText('No invoices yet')).toBeInTheDocument();
  });

  it('sends an owner to Checkout with the plan chosen', async () => {
    const { fetchMock } = renderPage({
      handlers: {
        'POST /api/billing/checkout': () => jsonResponse(200, { url: 'https://checkout.example/cs_1' }),
      },
    });
    const pro = await screen.findByRole('group', { name: 'Pro plan' });
    await userEvent.click(within(pro).getByRole('button', { name: 'Upgrade to Pro' }));
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith('https://checkout.example/cs_1'));
    const post = fetchMock.mock.calls.find(([url]) => url === '/api/billing/checkout');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ plan: 'pro' });
    expect(post?.[1]?.headers).toMatchObject({ 'X-CSRF-Token': 'csrf-123' });
  });

  it('disables a plan that cannot be bought and says why', async () => {
    renderPage();
    const business = await screen.findByRole('group', { name: 'Business plan' });
    const button = within(business).getByRole('button', { name: 'Upgrade to Business' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'Not on sale yet: the operator has not given this plan a Stripe price.',
    );
  });

  it('sends a paying owner to the customer portal to manage billing and change plans', async () => {
    renderPage({
      billing: overview({ plan: { key: 'pro', name: 'Pro' }, limits: plans[1].limits }),
      handlers: {
        'POST /api/billing/portal': () => jsonResponse(200, { url: 'https://portal.example/p_1' }),
      },
    });
    expect(await screen.findByText(/Renews on/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Manage billing' }));
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith('https://portal.example/p_1'));
    const business = screen.getByRole('group', { name: 'Business plan' });
    expect(within(business).getByRole('button', { name: /Upgrade/ })).toBeDisabled();
  });

  it('shows admins the plan and usage but no buttons to buy', async () => {
    renderPage({ role: 'admin' });
    expect(await screen.findByText('Only owners can change the plan.')).toBeInTheDocument();
    await screen.findByRole('group', { name: 'Pro plan' });
    expect(screen.queryByRole('button', { name: /Upgrade/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Manage billing' })).not.toBeInTheDocument();
  });

  it('tells members that only owners and admins see billing, without asking the server for it', async () => {
    const { fetchMock } = renderPage({ role: 'member' });
    expect(await screen.findByText('Only owners and admins can see billing')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([url]) => url === '/api/billing')).toBe(false);
  });

  it('shows past due with the grace end, and a cancellation at the period end', async () => {
    renderPage({
      billing: overview({
        plan: { key: 'pro', name: 'Pro' },
        status: 'past_due',
        past_due_grace_ends_at: '2026-12-13T12:00:00Z',
        cancel_at_period_end: true,
        current_period_end: '2026-12-31T00:00:00Z',
      }),
    });
    expect(await screen.findByText('Past due')).toBeInTheDocument();
    expect(screen.getByText(/Update your card by Dec 13, 2026 to keep the Pro plan/)).toBeInTheDocument();
    expect(
      screen.getByText(/the Pro plan stays until Dec 31, 2026, then the organization moves to Free/),
    ).toBeInTheDocument();
    expect(screen.getByText('Ends on Dec 31, 2026.')).toBeInTheDocument();
  });

  it('says billing is not configured and what admins can do instead', async () => {
    renderPage({ billing: overview({ stripe_configured: false }) });
    expect(await screen.findByText('Billing is not configured')).toBeInTheDocument();
    expect(
      screen.getByText(/A platform admin can set this organization’s plan on the Admin page/),
    ).toBeInTheDocument();
    const pro = await screen.findByRole('group', { name: 'Pro plan' });
    expect(within(pro).getByRole('button', { name: 'Upgrade to Pro' })).toBeDisabled();
    expect(
      screen.getByText('Invoices come from Stripe, which is not configured on this server.'),
    ).toBeInTheDocument();
  });

  it('with billing off: says so, shows usage as unlimited and offers no plans', async () => {
    renderPage({
      billing: overview({
        enabled: false,
        stripe_configured: false,
        plan: { key: 'unlimited', name: 'Unlimited' },
      }),
    });
    expect(await screen.findByText('Billing off')).toBeInTheDocument();
    expect(screen.getByText(/Billing is turned off on this server/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Bots' })).toHaveAttribute('data-level', 'unlimited');
    expect(screen.queryByRole('heading', { name: 'Plans' })).not.toBeInTheDocument();
    expect(screen.queryByText('Invoices')).not.toBeInTheDocument();
  });

  it('shows a grandfathered organisation as such, with its usage unlimited', async () => {
    renderPage({ billing: overview({ grandfathered: true, plan: { key: 'unlimited', name: 'Unlimited' } }) });
    expect(await screen.findByText('Grandfathered')).toBeInTheDocument();
    expect(
      screen.getByText(/keeps unlimited use until a platform admin changes its plan/),
    ).toBeInTheDocument();
    expect(screen.getAllByText('1 · unlimited').length).toBeGreaterThan(0);
    expect(screen.getByRole('progressbar', { name: 'Bots' })).toHaveAttribute('data-level', 'unlimited');
  });

  it('lists invoices with amount, status and a link to Stripe', async () => {
    renderPage({
      handlers: {
        'GET /api/billing/invoices': () =>
          jsonResponse(200, {
            invoices: [
              {
                id: 'in_1',
                number: 'SB-0001',
                status: 'paid',
                amount_due: 2900,
                amount_paid: 2900,
                currency: 'usd',
                created: '2026-12-01T10:00:00Z',
                hosted_invoice_url: 'https://invoice.example/in_1',
              },
            ],
          }),
      },
    });
    const row = (await screen.findByText('SB-0001')).closest('tr')!;
    expect(within(row).getByText('$29.00')).toBeInTheDocument();
    expect(within(row).getByText('Paid')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: /View/ })).toHaveAttribute(
      'href',
      'https://invoice.example/in_1',
    );
  });

  it('shows an error with a retry when the invoices fail, and when billing itself fails', async () => {
    renderPage({
      handlers: {
        'GET /api/billing/invoices': () =>
          jsonResponse(502, { error: { code: 'stripe_unavailable', message: 'Stripe did not answer.' } }),
      },
    });
    expect(
      await screen.findByText('Could not load the invoices', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Stripe did not answer.')).toBeInTheDocument();
  });

  it('announces a shorter retention after a downgrade: what goes, from when, and what applies until then', async () => {
    renderPage({
      handlers: {
        'GET /api/billing/retention': () =>
          jsonResponse(200, {
            items: [
              {
                kind: 'audit',
                applied_days: null,
                pending_days: 30,
                pending_effective_at: '2027-01-05T12:00:00Z',
              },
              {
                kind: 'data',
                applied_days: 730,
                pending_days: 30,
                pending_effective_at: '2027-01-05T12:00:00Z',
              },
            ],
          }),
      },
    });
    const data = await screen.findByRole('region', { name: 'Retention change: data' }, { timeout: 10000 });
    expect(data).toHaveTextContent(
      /conversations \(with their messages\) and webhook deliveries older than 30 days will be deleted/,
    );
    expect(data).toHaveTextContent('Until then they are kept for 730 days.');
    expect(data).toHaveTextContent(/Jan 5, 2027/);
    expect(screen.getByRole('region', { name: 'Retention change: audit' })).toHaveTextContent(
      'Until then they are kept without a limit.',
    );
  });

  it('shows no retention notice while nothing is announced', async () => {
    renderPage();
    expect(await screen.findByText('Free', {}, { timeout: 10000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('region', { name: /Retention change/ })).toBeNull());
  });

  it('says what went wrong when billing cannot be loaded', async () => {
    renderPage({
      handlers: {
        'GET /api/billing': () =>
          jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
      },
    });
    expect(await screen.findByText('Could not load billing', {}, { timeout: 10000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('back from Checkout: says the payment is being confirmed, then shows the new plan', async () => {
    let answer = overview();
    renderPage({
      route: '/billing?checkout=success&session_id=cs_test_1',
      handlers: { 'GET /api/billing': () => jsonResponse(200, answer) },
    });
    expect(await screen.findByText('Payment received.')).toBeInTheDocument();
    answer = overview({ plan: { key: 'pro', name: 'Pro' }, limits: plans[1].limits });
    expect(
      await screen.findByText('Thank you — you are on the Pro plan now.', {}, { timeout: 8000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Pro plan', { selector: 'span' })).toBeInTheDocument();
  }, 15000);

  it('back from a canceled Checkout: says nothing was charged, and the message can be dismissed', async () => {
    const { router } = renderPage({ route: '/billing?checkout=canceled' });
    expect(await screen.findByText('Checkout was canceled.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('Checkout was canceled.')).not.toBeInTheDocument();
    expect(router.state.location.search).toBe('');
  });
});
