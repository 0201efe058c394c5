// /admin: platform admins see each organisation's plan (and Grandfathered) and change it after confirming.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { plans } from '@/features/billing/fixtures';
import type { AdminOrganization } from '@/lib/api';
import { AdminPage } from '@/pages/admin-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const organizations: AdminOrganization[] = [
  {
    id: 'org_old',
    name: 'Old Co',
    created_at: '2026-01-01T00:00:00Z',
    member_count: 4,
    owner_email: 'old@example.com',
    // The server's shape: the plan object carries grandfathered, and names the plan "Grandfathered".
    plan: {
      key: 'unlimited',
      name: 'Grandfathered',
      status: 'active',
      grandfathered: true,
      source: 'default',
    },
  },
  {
    id: 'org_new',
    name: 'New Co',
    created_at: '2026-12-01T00:00:00Z',
    member_count: 1,
    owner_email: 'new@example.com',
    plan: 'free',
    grandfathered: false,
  },
];

function renderAdmin(handlers: Parameters<typeof mockFetch>[0] = {}) {
  let list = organizations;
  const fetchMock = mockFetch({
    'GET /api/admin/organizations': () => jsonResponse(200, { items: list }),
    'GET /api/admin/users': () => jsonResponse(200, { items: [] }),
    'GET /api/billing/plans': () => jsonResponse(200, plans),
    'PUT /api/admin/orgs/org_old/plan': () => {
      list = [
        {
          ...organizations[0],
          plan: { key: 'pro', name: 'Pro', status: 'active', grandfathered: false, source: 'admin' },
        },
        organizations[1],
      ];
      return jsonResponse(200, {});
    },
    ...handlers,
  });
  renderWithProviders(<AdminPage />, { route: '/admin' });
  return fetchMock;
}

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

describe('Admin: organisation plans', () => {
  it('shows each organisation’s plan, and Grandfathered where it is', async () => {
    renderAdmin();
    const old = await rowOf('Old Co');
    expect(within(old).getByText('Unlimited')).toBeInTheDocument();
    expect(within(old).getByText('Grandfathered')).toBeInTheDocument();
    const fresh = await rowOf('New Co');
    expect(within(fresh).getByText('Free')).toBeInTheDocument();
    expect(within(fresh).queryByText('Grandfathered')).not.toBeInTheDocument();
  });

  it('changes a plan only after confirming, then shows the new plan', async () => {
    const fetchMock = renderAdmin();
    await userEvent.click(await screen.findByRole('button', { name: 'Change the plan of Old Co' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change the plan of Old Co?' });
    expect(dialog).toHaveTextContent('It is grandfathered now');
    const select = within(dialog).getByLabelText('Plan');
    await waitFor(() => expect(within(select).getByRole('option', { name: 'Pro' })).toBeInTheDocument());
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'PUT')).toBe(false);
    await userEvent.selectOptions(select, 'pro');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change plan' }));
    await waitFor(() =>
      expect(toast.success).toHaveBeenCalledWith('Old Co is on the Pro plan now', expect.anything()),
    );
    const put = fetchMock.mock.calls.find(([, init]) => init?.method === 'PUT');
    expect(put?.[0]).toBe('/api/admin/orgs/org_old/plan');
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ plan: 'pro' });
    const old = await rowOf('Old Co');
    await waitFor(() => expect(within(old).queryByText('Grandfathered')).not.toBeInTheDocument());
    expect(within(old).getByText('Pro')).toBeInTheDocument();
  });

  it('keeps the dialog open with the server’s refusal', async () => {
    renderAdmin({
      'PUT /api/admin/orgs/org_new/plan': () =>
        jsonResponse(422, { error: { code: 'validation_failed', message: 'Unknown plan.' } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Change the plan of New Co' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change the plan of New Co?' });
    const select = within(dialog).getByLabelText('Plan');
    await waitFor(() => expect(within(select).getByRole('option', { name: 'Business' })).toBeInTheDocument());
    expect(within(dialog).getByRole('button', { name: 'Change plan' })).toBeDisabled();
    await userEvent.selectOptions(select, 'business');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change plan' }));
    expect(await within(dialog).findByText('Unknown plan.')).toBeInTheDocument();
  });

  it('shows no plan column on a server without billing', async () => {
    mockFetch({
      'GET /api/admin/organizations': () =>
        jsonResponse(200, { items: organizations.map(({ plan: _p, grandfathered: _g, ...rest }) => rest) }),
      'GET /api/admin/users': () => jsonResponse(200, { items: [] }),
    });
    renderWithProviders(<AdminPage />, { route: '/admin' });
    await screen.findByText('Old Co');
    expect(screen.queryByRole('columnheader', { name: 'Plan' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Change the plan/ })).not.toBeInTheDocument();
  });
});
