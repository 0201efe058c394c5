import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useSession } from '@/features/auth/session';
import { OrganizationSecurityCard } from '@/features/two-factor/organization-security-card';
import type { OrganizationWithRole } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const organization: OrganizationWithRole = {
  ...session.organization!,
  role: 'owner',
  member_count: 2,
  require_two_factor: false,
};

function SecurityCard({ canChange }: { canChange: boolean }) {
  return useSession().data ? (
    <OrganizationSecurityCard organization={organization} canChange={canChange} />
  ) : null;
}

describe('OrganizationSecurityCard', () => {
  it("shows the server's refusal beside the switch when the owner has no two-factor", async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'PATCH /api/orgs/org_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: {
              fields: { require_two_factor: 'Turn on two-factor sign-in for your own account first.' },
            },
          },
        }),
    });
    renderWithProviders(<SecurityCard canChange />);

    const toggle = await screen.findByRole('switch', { name: 'Require two-factor sign-in for every member' });
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    await userEvent.click(toggle);
    await userEvent.click(screen.getByRole('button', { name: 'Require it' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Turn on two-factor sign-in for your own account first.',
    );
    expect(toggle).toHaveAccessibleDescription(/Turn on two-factor sign-in for your own account first\./);
    expect(screen.getByRole('link', { name: 'Set up two-factor sign-in' })).toHaveAttribute(
      'href',
      '/settings/profile#two-factor',
    );
    expect(toggle).toHaveAttribute('aria-checked', 'false');
  });

  it('shows the setting read-only to everyone but owners', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, { ...session, role: 'member' }) });
    renderWithProviders(<SecurityCard canChange={false} />);

    expect(await screen.findByText('Not required')).toBeInTheDocument();
    expect(screen.getByText('Only owners can change how members sign in.')).toBeInTheDocument();
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();
  });
});
