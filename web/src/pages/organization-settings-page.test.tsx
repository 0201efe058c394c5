import * as React from 'react';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router-dom';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import type { OrganizationWithRole } from '@/lib/api';
import { OrganizationSettingsPage } from '@/pages/organization-settings-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

type Handlers = Parameters<typeof mockFetch>[0];

const organization: OrganizationWithRole = {
  id: 'org_1',
  name: "Ada's organization",
  created_at: '2026-11-25T19:40:00Z',
  role: 'owner',
  member_count: 1,
};

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

function renderPage(handlers: Handlers = {}) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/permissions?org_id=org_1': () =>
      jsonResponse(200, { roles: [], actions: [], role: 'owner', allowed: ['org.read', 'org.update'] }),
    'GET /api/orgs/org_1': () => jsonResponse(200, organization),
    'GET /api/orgs/org_1/ai': () =>
      jsonResponse(200, {
        own_key: null,
        allowed_models: [],
        installation_key: 'available',
        using: 'installation',
        health: { state: 'ok', reason: '', since: null },
        can_manage: true,
      }),
    'GET /api/ai/models': () => jsonResponse(200, { models: [], fetched_at: null, error: null }),
    ...handlers,
  });
  renderWithProviders(
    <SignedIn>
      <Routes>
        <Route
          path="/settings/organization"
          element={
            <>
              <Link to="/team">Team</Link>
              <OrganizationSettingsPage />
            </>
          }
        />
        <Route path="/team" element={<p>The team</p>} />
      </Routes>
    </SignedIn>,
    { route: '/settings/organization' },
  );
  return fetchMock;
}

async function rename(name: string) {
  const input = await screen.findByLabelText('Name');
  await userEvent.clear(input);
  await userEvent.type(input, name);
}

const footer = () => screen.getByRole('button', { name: 'Save name' }).parentElement!;
const question = () => screen.findByRole('dialog', { name: 'Discard unsaved changes?' });

describe('OrganizationSettingsPage', () => {
  it('shows a failed rename beside Save and as a toast', async () => {
    renderPage({
      'PATCH /api/orgs/org_1': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
    });
    await rename('Lovelace Bakery');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect(await within(footer()).findByRole('alert')).toHaveTextContent(
      'Not saved: The database is unavailable.',
    );
    expect(toast.error).toHaveBeenCalledWith('Organization not renamed', {
      description: 'The database is unavailable.',
    });
  });

  it('puts a refused name under the field and says so beside Save', async () => {
    renderPage({
      'PATCH /api/orgs/org_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { name: 'That name is reserved.' } },
          },
        }),
    });
    await rename('Switchboard');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect(await screen.findByText('That name is reserved.')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(within(footer()).getByRole('alert')).toHaveTextContent('Not saved: some fields need attention.');
    expect(toast.error).toHaveBeenCalledWith('Organization not renamed', {
      description: 'Some fields need attention.',
    });
  });

  it('asks before leaving an unsaved name: Stay keeps it, Discard leaves', async () => {
    renderPage();
    await rename('Lovelace Bakery');
    await userEvent.click(screen.getByRole('link', { name: 'Team' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Stay' }));
    expect(screen.getByLabelText('Name')).toHaveValue('Lovelace Bakery');

    await userEvent.click(screen.getByRole('link', { name: 'Team' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('The team')).toBeInTheDocument();
  });

  it('leaves without asking once the name is saved', async () => {
    renderPage({
      'PATCH /api/orgs/org_1': (init) =>
        jsonResponse(200, { ...organization, ...JSON.parse(String(init.body)) }),
    });
    await rename('Lovelace Bakery');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    await vi.waitFor(() => expect(toast.success).toHaveBeenCalledWith('Organization renamed'));
    await userEvent.click(screen.getByRole('link', { name: 'Team' }));
    expect(await screen.findByText('The team')).toBeInTheDocument();
    expect(screen.queryByText('Discard unsaved changes?')).not.toBeInTheDocument();
  });

  it('saves the organization time zone the analytics days count in', async () => {
    const fetchMock = renderPage({
      'GET /api/orgs/org_1': () => jsonResponse(200, { ...organization, time_zone: 'UTC' }),
      'PATCH /api/orgs/org_1': (init) =>
        jsonResponse(200, { ...organization, ...JSON.parse(String(init.body)) }),
    });
    const input = await screen.findByLabelText('Organization time zone');
    expect(input).toHaveValue('UTC');
    const save = screen.getByRole('button', { name: 'Save time zone' });
    expect(save).toBeDisabled();
    await userEvent.clear(input);
    await userEvent.type(input, 'berlin');
    fireEvent.mouseDown(await screen.findByRole('option', { name: 'Europe/Berlin' }));
    await userEvent.click(save);
    await vi.waitFor(() => expect(toast.success).toHaveBeenCalledWith('Time zone saved'));
    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === 'PATCH');
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ time_zone: 'Europe/Berlin' });
    expect(screen.getByRole('button', { name: 'Save time zone' })).toBeDisabled();
  });

  it('puts a refused time zone under the field', async () => {
    renderPage({
      'PATCH /api/orgs/org_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Check the highlighted fields.',
            details: { fields: { time_zone: 'Unknown time zone.' } },
          },
        }),
    });
    const input = await screen.findByLabelText('Organization time zone');
    await userEvent.clear(input);
    await userEvent.type(input, 'tokyo');
    fireEvent.mouseDown(await screen.findByRole('option', { name: 'Asia/Tokyo' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save time zone' }));
    expect(await screen.findByText('Unknown time zone.')).toBeInTheDocument();
  });
});
