import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OrgSwitcher } from '@/features/orgs/org-switcher';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const organizations = {
  items: [
    { id: 'org_1', name: "Ada's organization", created_at: '2026-11-25T19:40:00Z', role: 'owner', member_count: 1 },
    { id: 'org_2', name: 'Analytical Engines', created_at: '2026-11-25T19:40:00Z', role: 'admin', member_count: 3 },
  ],
};

function EditingForm({ dirty }: { dirty: boolean }) {
  useUnsavedChangesGuard(dirty);
  return <p>{dirty ? 'Unsaved changes' : 'All saved'}</p>;
}

function setup(dirty: boolean) {
  const fetchMock = mockFetch({
    'GET /api/orgs': () => jsonResponse(200, organizations),
    'POST /api/auth/switch-org': () =>
      jsonResponse(200, {
        ...session,
        organization: { id: 'org_2', name: 'Analytical Engines', created_at: '2026-11-25T19:40:00Z' },
        role: 'admin',
      }),
  });
  renderWithProviders(
    <>
      <OrgSwitcher session={session} />
      <EditingForm dirty={dirty} />
    </>,
  );
  const switches = () => fetchMock.mock.calls.filter(([url]) => String(url) === '/api/auth/switch-org');
  return { switches };
}

async function chooseOtherOrganization() {
  await userEvent.click(screen.getByRole('button', { name: /Switch organization/ }));
  await userEvent.click(await screen.findByRole('menuitem', { name: /Analytical Engines/ }));
}

describe('OrgSwitcher', () => {
  it('asks before switching away from unsaved edits: Stay keeps the organisation', async () => {
    const { switches } = setup(true);
    await chooseOtherOrganization();
    await userEvent.click(
      within(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).getByRole('button', {
        name: 'Stay',
      }),
    );
    expect(switches()).toHaveLength(0);
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
  });

  it('switches after Discard', async () => {
    const dirty = setup(true);
    await chooseOtherOrganization();
    await userEvent.click(await screen.findByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(dirty.switches()).toHaveLength(1));
  });

  it('does not ask when nothing is unsaved', async () => {
    const { switches } = setup(false);
    await chooseOtherOrganization();
    await waitFor(() => expect(switches()).toHaveLength(1));
    expect(screen.queryByRole('dialog', { name: 'Discard unsaved changes?' })).not.toBeInTheDocument();
  });
});
