import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CreateKeyDialog, endOfDay } from '@/features/api-keys/create-key-dialog';
import { InviteDialog } from '@/features/team/invite-dialog';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const roleOptions = () =>
  within(screen.getByLabelText('Role'))
    .getAllByRole('option')
    .map((option) => option.textContent);

describe('CreateKeyDialog', () => {
  it('offers roles up to the caller’s own: an admin cannot make an owner key', () => {
    renderWithProviders(<CreateKeyDialog open onOpenChange={() => {}} orgId="org_1" actorRole="admin" />);
    expect(roleOptions()).toEqual(['Admin', 'Member', 'Viewer']);
    expect(screen.getByLabelText('Role')).toHaveValue('member');
  });

  it('says the key never outranks its creator and stops when they leave', () => {
    renderWithProviders(<CreateKeyDialog open onOpenChange={() => {}} orgId="org_1" actorRole="owner" />);
    expect(
      screen.getByText(
        'This key acts with at most your own role, and stops working if you leave the organization.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the secret once, with the warning, and sends the expiry as the end of that day', async () => {
    const fetchMock = mockFetch({
      'POST /api/orgs/org_1/api-keys': () =>
        jsonResponse(201, {
          id: 'key_1',
          name: 'CI',
          role: 'member',
          prefix: 'sbk_abc',
          created_by: { id: 'usr_1', name: 'Ada' },
          created_at: '2026-11-25T19:40:00Z',
          expires_at: null,
          last_used_at: null,
          revoked_at: null,
          key: 'sbk_abc_secret',
        }),
    });
    renderWithProviders(<CreateKeyDialog open onOpenChange={() => {}} orgId="org_1" actorRole="owner" />);

    await userEvent.type(screen.getByLabelText('Name'), 'CI');
    await userEvent.type(screen.getByLabelText('Expires (optional)'), '2099-03-04');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByLabelText('Secret API key')).toHaveValue('sbk_abc_secret');
    expect(screen.getByText('You won’t see it again.')).toBeInTheDocument();
    const body = JSON.parse(String(fetchMock.mock.calls[0][1]?.body));
    expect(body).toEqual({ name: 'CI', role: 'member', expires_at: endOfDay('2099-03-04') });
    expect(new Date(body.expires_at).getDate()).toBe(4);
  });
});

describe('InviteDialog', () => {
  it('offers an owner every role and an admin none above admin', () => {
    const { unmount } = renderWithProviders(
      <InviteDialog open onOpenChange={() => {}} orgId="org_1" orgName="Acme" actorRole="owner" />,
    );
    expect(roleOptions()).toEqual(['Owner', 'Admin', 'Member', 'Viewer']);
    unmount();

    renderWithProviders(
      <InviteDialog open onOpenChange={() => {}} orgId="org_1" orgName="Acme" actorRole="admin" />,
    );
    expect(roleOptions()).toEqual(['Admin', 'Member', 'Viewer']);
  });

  it('puts the server’s refusal of a duplicate under the address', async () => {
    mockFetch({
      'POST /api/orgs/org_1/invites': () =>
        jsonResponse(409, {
          error: { code: 'conflict', message: 'grace@example.com already has a pending invitation.' },
        }),
    });
    renderWithProviders(
      <InviteDialog open onOpenChange={() => {}} orgId="org_1" orgName="Acme" actorRole="owner" />,
    );

    await userEvent.type(screen.getByLabelText('Email address'), 'grace@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));

    expect(
      await screen.findByText('grace@example.com already has a pending invitation.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Email address')).toHaveAttribute('aria-invalid', 'true');
  });
});
