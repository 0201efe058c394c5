// 402 plan_limit_reached wherever a create can fail (bots, integrations, invites): the clear message with
// the plan's numbers and a link to the Billing page, not a generic error.
import * as React from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import { plans } from '@/features/billing/fixtures';
import { CreateBotDialog } from '@/features/bots/create-bot-dialog';
import { platforms } from '@/features/integrations/fixtures';
import { IntegrationDialog } from '@/features/integrations/integration-dialog';
import { InviteDialog } from '@/features/team/invite-dialog';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

function SignedIn({ children }: { children: React.ReactNode }) {
  return useSession().data ? <>{children}</> : null;
}

const limitReached = (limit: string, used: number) => () =>
  jsonResponse(402, {
    error: {
      code: 'plan_limit_reached',
      message: 'Plan limit reached.',
      details: { limit, used, plan: 'free' },
    },
  });

const common = {
  'GET /api/auth/session': () => jsonResponse(200, session),
  'GET /api/billing/plans': () => jsonResponse(200, plans),
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
};

describe('402 plan_limit_reached on create', () => {
  it('creating a bot: names the plan, its number and the count, with a link to Billing', async () => {
    mockFetch({ ...common, 'POST /api/bots': limitReached('bots', 3) });
    renderWithProviders(
      <SignedIn>
        <CreateBotDialog open onOpenChange={() => {}} />
      </SignedIn>,
    );
    await userEvent.type(await screen.findByLabelText('Name'), 'Fourth');
    await userEvent.click(screen.getByRole('button', { name: 'Create bot' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Your Free plan allows 3 bots; you have 3. Upgrade on the Billing page.');
    expect(within(alert).getByRole('link', { name: 'Open Billing' })).toHaveAttribute('href', '/billing');
    expect(toast.error).toHaveBeenCalledWith('Bot not created', {
      description: 'Your Free plan allows 3 bots; you have 3. Upgrade on the Billing page.',
    });
  });

  it('connecting a platform: the same words beside Save, with the link', async () => {
    mockFetch({ ...common, 'POST /api/integrations': limitReached('integrations', 2) });
    renderWithProviders(
      <SignedIn>
        <IntegrationDialog open onOpenChange={() => {}} platform={platforms[0]} />
      </SignedIn>,
    );
    await userEvent.type(await screen.findByLabelText('Name'), 'Shop');
    await userEvent.type(
      screen.getByLabelText(/Bot token/),
      '123456789:AAEabcdefghijklmnopqrstuvwxyz0123456',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Not saved: Your Free plan allows 2 integrations; you have 2. Upgrade on the Billing page.',
    );
    expect(within(alert).getByRole('link', { name: 'Open Billing' })).toHaveAttribute('href', '/billing');
  });

  it('inviting: members and open invitations count against the plan', async () => {
    mockFetch({ ...common, 'POST /api/orgs/org_1/invites': limitReached('members', 3) });
    renderWithProviders(
      <SignedIn>
        <InviteDialog open onOpenChange={() => {}} orgId="org_1" orgName="Acme" actorRole="owner" />
      </SignedIn>,
    );
    await userEvent.type(await screen.findByLabelText('Email address'), 'grace@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Your Free plan allows 3 members; you have 3. Upgrade on the Billing page.',
    );
    expect(within(alert).getByRole('link', { name: 'Open Billing' })).toHaveAttribute('href', '/billing');
  });
});
