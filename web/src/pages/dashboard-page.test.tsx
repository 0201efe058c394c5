// The dashboard's getting-started checklist ticks each step from GET /api/getting-started.
import * as React from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useSession } from '@/features/auth/session';
import type { GettingStarted } from '@/features/onboarding/api';
import { DashboardPage } from '@/pages/dashboard-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

type Handlers = Parameters<typeof mockFetch>[0];

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

const progress = (done: string[]): GettingStarted => {
  const keys = [
    'bot_created',
    'template_written',
    'platform_connected',
    'bot_deployed',
    'first_conversation',
    'teammate_invited',
  ] as const;
  return {
    steps: keys.map((key) => ({ key, done: done.includes(key) })),
    completed: done.length,
    total: keys.length,
  };
};

function renderPage(handlers: Handlers) {
  const fetchMock = mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/bots?status=active': () => jsonResponse(200, { items: [] }),
    'GET /api/conversations?limit=5': () => jsonResponse(200, { items: [] }),
    ...handlers,
  });
  renderWithProviders(
    <SignedIn>
      <DashboardPage />
    </SignedIn>,
  );
  return fetchMock;
}

const checklist = async () =>
  within(await screen.findByRole('list', { name: 'Getting started' }, { timeout: 5000 }));

describe('Getting started checklist', () => {
  it('ticks the steps the server says are done and leaves the others to do', async () => {
    renderPage({
      'GET /api/getting-started': () => jsonResponse(200, progress(['bot_created', 'template_written'])),
    });
    const list = await checklist();
    expect(list.getByRole('link', { name: /Create a bot \(done\)/ })).toBeInTheDocument();
    expect(list.getByRole('link', { name: /Write a template \(done\)/ })).toBeInTheDocument();
    expect(list.getByRole('link', { name: /Connect a messaging platform \(to do\)/ })).toHaveAttribute(
      'href',
      '/integrations',
    );
    expect(list.getByRole('link', { name: /Invite your team \(to do\)/ })).toHaveAttribute('href', '/team');
    expect(list.getAllByText('Done')).toHaveLength(2);
    expect(screen.getByText('2 of 6 done. Each step ticks itself when it happens.')).toBeInTheDocument();
  });

  it('says when everything is done', async () => {
    renderPage({
      'GET /api/getting-started': () =>
        jsonResponse(
          200,
          progress([
            'bot_created',
            'template_written',
            'platform_connected',
            'bot_deployed',
            'first_conversation',
            'teammate_invited',
          ]),
        ),
    });
    const list = await checklist();
    expect(list.getAllByText('Done')).toHaveLength(6);
    expect(screen.getByText('All done: your team is up and running.')).toBeInTheDocument();
  });

  it('shows an error with a retry when the checklist cannot be loaded', async () => {
    let calls = 0;
    renderPage({
      'GET /api/getting-started': () =>
        ++calls <= 3 // a server error is retried twice before the error shows
          ? jsonResponse(500, { error: { code: 'internal', message: 'Something went wrong.' } })
          : jsonResponse(200, progress([])),
    });
    expect(
      await screen.findByText('Could not load the checklist', {}, { timeout: 8000 }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Try again|Retry/ }));
    const list = await checklist();
    expect(list.queryAllByText('Done')).toHaveLength(0);
  }, 15_000);
});
