import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CreateKeyDialog } from '@/features/api-keys/create-key-dialog';
import { useSession } from '@/features/auth/session';
import { platforms } from '@/features/integrations/fixtures';
import { IntegrationDialog } from '@/features/integrations/integration-dialog';
import { InviteDialog } from '@/features/team/invite-dialog';
import type { Session } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const unverified: Session = { ...session, user: { ...session.user, email_verified: false } };

function SignedIn({ children }: { children: React.ReactNode }) {
  return useSession().data ? <>{children}</> : null;
}

describe('forms that wait for a verified address', () => {
  it('creating an API key: says why and points at the banner, with the button disabled', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, unverified) });
    renderWithProviders(
      <SignedIn>
        <CreateKeyDialog open onOpenChange={() => {}} orgId="org_1" actorRole="owner" />
      </SignedIn>,
    );
    expect(await screen.findByText('Verify your email address to create API keys.')).toBeInTheDocument();
    expect(screen.getByText(/use “Send again” in the banner/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create key' })).toBeDisabled();
  });

  it('inviting: says why, with the button disabled', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, unverified) });
    renderWithProviders(
      <SignedIn>
        <InviteDialog open onOpenChange={() => {}} orgId="org_1" orgName="Acme" actorRole="owner" />
      </SignedIn>,
    );
    expect(await screen.findByText('Verify your email address to invite teammates.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send invitation' })).toBeDisabled();
  });

  it('connecting a platform: says why, with the button disabled', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, unverified) });
    renderWithProviders(
      <SignedIn>
        <IntegrationDialog open onOpenChange={() => {}} platform={platforms[0]} />
      </SignedIn>,
    );
    expect(await screen.findByText('Verify your email address to connect platforms.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it("shows the server's refusal readably when the session did not know yet", async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'POST /api/orgs/org_1/api-keys': () =>
        jsonResponse(403, {
          error: {
            code: 'email_unverified',
            message: 'Verify your email address first: open the link we sent to ada@example.com.',
          },
        }),
    });
    renderWithProviders(
      <SignedIn>
        <CreateKeyDialog open onOpenChange={() => {}} orgId="org_1" actorRole="owner" />
      </SignedIn>,
    );
    await userEvent.type(await screen.findByLabelText('Name'), 'CI deploys');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Verify your email address first: open the link we sent to ada@example.com.',
    );
  });
});
