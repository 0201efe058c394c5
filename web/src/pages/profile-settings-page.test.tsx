import * as React from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router-dom';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import type { Profile } from '@/lib/api';
import { ProfileSettingsPage } from '@/pages/profile-settings-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

type Handlers = Parameters<typeof mockFetch>[0];

const profile: Profile = {
  user_id: 'usr_1',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  avatar_url: null,
  timezone: 'UTC',
  updated_at: '2026-11-25T19:40:00Z',
};

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

function renderPage(handlers: Handlers = {}) {
  mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/profile': () => jsonResponse(200, profile),
    'GET /api/auth/sessions': () => jsonResponse(200, { items: [] }),
    'GET /api/auth/two-factor': () =>
      jsonResponse(200, { enabled: false, enabled_at: null, recovery_codes_left: 0 }),
    ...handlers,
  });
  renderWithProviders(
    <SignedIn>
      <Routes>
        <Route
          path="/settings/profile"
          element={
            <>
              <Link to="/">Dashboard</Link>
              <ProfileSettingsPage />
            </>
          }
        />
        <Route path="/" element={<p>The dashboard</p>} />
      </Routes>
    </SignedIn>,
    { route: '/settings/profile' },
  );
}

async function rename(name: string) {
  const input = await screen.findByLabelText('Name');
  await userEvent.clear(input);
  await userEvent.type(input, name);
}

const question = () => screen.findByRole('dialog', { name: 'Discard unsaved changes?' });

describe('ProfileSettingsPage', () => {
  it('shows a failed save beside Save and as a toast', async () => {
    renderPage({
      'PATCH /api/profile': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
    });
    await rename('Ada King');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const footer = screen.getByRole('button', { name: 'Save changes' }).parentElement!;
    expect(await within(footer).findByRole('alert')).toHaveTextContent(
      'Not saved: The database is unavailable.',
    );
    expect(toast.error).toHaveBeenCalledWith('Profile not saved', {
      description: 'The database is unavailable.',
    });
  });

  it('asks before leaving unsaved details, and not once they are saved', async () => {
    renderPage({
      'PATCH /api/profile': (init) => jsonResponse(200, { ...profile, ...JSON.parse(String(init.body)) }),
    });
    await rename('Ada King');
    await userEvent.click(screen.getByRole('link', { name: 'Dashboard' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Stay' }));
    expect(screen.getByLabelText('Name')).toHaveValue('Ada King');

    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await vi.waitFor(() => expect(toast.success).toHaveBeenCalledWith('Profile saved'));
    await userEvent.click(screen.getByRole('link', { name: 'Dashboard' }));
    expect(await screen.findByText('The dashboard')).toBeInTheDocument();
  });
});
