import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { navigation } from '@/components/layout/app-shell';
import { Action, usePermissions, type ActionName } from '@/features/permissions/queries';
import { useSession } from '@/features/auth/session';
import type { Session } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

function permissions(role: string, allowed: string[]) {
  return { roles: ['owner', 'admin', 'member', 'viewer'], actions: [], role, allowed };
}

function Probe() {
  const { can, role } = usePermissions();
  return (
    <ul>
      <li>role: {role}</li>
      {Object.values(Action).map((action) => (
        <li key={action}>
          {action}: {can(action) ? 'yes' : 'no'}
        </li>
      ))}
    </ul>
  );
}

function Guarded() {
  const { data } = useSession();
  return data ? <Probe /> : <p>signed out</p>;
}

describe('usePermissions', () => {
  it('allows exactly what GET /api/permissions lists for the current organization', async () => {
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, { ...session, role: 'member' }),
      'GET /api/permissions?org_id=org_1': () =>
        jsonResponse(200, permissions('member', ['org.read', 'members.read'])),
    });

    renderWithProviders(<Guarded />);

    expect(await screen.findByText('members.read: yes')).toBeInTheDocument();
    expect(screen.getByText('org.read: yes')).toBeInTheDocument();
    expect(screen.getByText('members.manage: no')).toBeInTheDocument();
    expect(screen.getByText('invites.manage: no')).toBeInTheDocument();
    expect(screen.getByText('api_keys.read: no')).toBeInTheDocument();
    expect(screen.getByText('role: member')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('allows nothing until the table has loaded, or when it fails', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/permissions?org_id=org_1': () =>
        jsonResponse(403, { error: { code: 'forbidden', message: 'No.' } }),
    });

    renderWithProviders(<Guarded />);

    expect(await screen.findByText('org.update: no')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('org.delete: no')).toBeInTheDocument());
    expect(screen.getByText('audit.read: no')).toBeInTheDocument();
  });

  it('does not ask the server when the user belongs to no organization', async () => {
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, { ...session, organization: null, role: null }),
    });

    renderWithProviders(<Guarded />);

    expect(await screen.findByText('members.read: no')).toBeInTheDocument();
    expect(fetchMock.mock.calls.map(([path]) => String(path))).toEqual(['/api/auth/session']);
  });
});

describe('navigation', () => {
  const links = (s: Session, allowed: ActionName[]) =>
    navigation(s, (action) => allowed.includes(action)).flatMap((section) =>
      section.items.map((i) => i.label),
    );

  it('shows a member the team and organization but no API keys or audit log', () => {
    expect(links({ ...session, role: 'member' }, [Action.orgRead, Action.membersRead])).toEqual([
      'Dashboard',
      'Team',
      'Profile',
      'Organization',
    ]);
  });

  it('shows API keys and the audit log to roles allowed to see them', () => {
    expect(links(session, [Action.apiKeysRead, Action.auditRead])).toEqual([
      'Dashboard',
      'Team',
      'Profile',
      'Organization',
      'API keys',
      'Audit log',
    ]);
  });

  it('shows bots, their conversations and templates to every role that may read bots', () => {
    expect(links({ ...session, role: 'viewer' }, [Action.botsRead])).toEqual([
      'Dashboard',
      'Team',
      'Bots',
      'Conversations',
      'Templates',
      'Profile',
      'Organization',
    ]);
  });

  it('puts Integrations (platforms and their accounts) after Templates for roles that may read integrations', () => {
    expect(links({ ...session, role: 'member' }, [Action.botsRead, Action.integrationsRead])).toEqual([
      'Dashboard',
      'Team',
      'Bots',
      'Conversations',
      'Templates',
      'Integrations',
      'Profile',
      'Organization',
    ]);
  });

  it('adds Operations for roles that may read jobs, in an organization', () => {
    expect(links({ ...session, role: 'viewer' }, [Action.botsRead, Action.jobsRead])).toEqual([
      'Dashboard',
      'Team',
      'Bots',
      'Conversations',
      'Templates',
      'Operations',
      'Profile',
      'Organization',
    ]);
    expect(links(session, [Action.botsRead])).not.toContain('Operations');
    expect(links({ ...session, organization: null, role: null }, [Action.jobsRead])).not.toContain(
      'Operations',
    );
  });

  it('adds the platform pages for platform admins only', () => {
    const admin = { ...session, user: { ...session.user, is_platform_admin: true } };
    expect(links(admin, [])).toEqual(expect.arrayContaining(['Admin', 'Mailbox', 'Debug']));
    expect(links(session, [])).not.toContain('Admin');
  });

  it('leaves out the organization pages for a user without one', () => {
    expect(links({ ...session, organization: null, role: null }, [])).toEqual(['Dashboard', 'Profile']);
  });
});
