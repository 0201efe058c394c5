// The webhook simulator: validation, posting, polling until final, and the way in from /integrations.
import * as React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useSession } from '@/features/auth/session';
import { integration, integrations, platforms } from '@/features/integrations/fixtures';
import { detail, job, page, stats } from '@/features/operations/fixtures';
import { SimulatorPanel } from '@/features/operations/simulator';
import type { JobState } from '@/lib/api';
import { IntegrationsPage } from '@/pages/integrations-page';
import { OperationsPage } from '@/pages/operations-page';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const withWebchat = [...integrations, integration({ id: 'int_9', platform: 'webchat', name: 'Site chat' })];

function jobIn(state: JobState) {
  const done = state === 'succeeded';
  return detail(
    job({
      id: 'job_9',
      event_id: 'evt_9',
      state,
      platform: 'slack',
      integration_id: 'int_3',
      inbound_text: 'Is it raining?',
      reply_text: state === 'queued' ? null : 'Not where your parcel is.',
      reply_source: state === 'queued' ? null : 'template',
      platform_message_id: done ? '1700000000.0001' : null,
      finished_at: done ? '2026-11-25T19:40:02Z' : null,
      latency_ms: done ? 1250 : null,
    }),
    { logs: [] },
  );
}

function simulatorFetch(states: JobState[]) {
  let polls = 0;
  const fetchMock = mockFetch({
    'GET /api/integrations': () => jsonResponse(200, { items: withWebchat }),
    'POST /api/integrations/int_3/simulate': () =>
      jsonResponse(202, { event_id: 'evt_9', job_id: 'job_9', duplicate: false }),
    'GET /api/webhook-events/evt_9': () => jsonResponse(200, detail(jobIn('queued')).event),
    'GET /api/jobs/job_9': () => jsonResponse(200, jobIn(states[Math.min(polls++, states.length - 1)])),
  });
  const jobPolls = () => fetchMock.mock.calls.filter(([path]) => path === '/api/jobs/job_9').length;
  return { fetchMock, jobPolls };
}

describe('SimulatorPanel', () => {
  it('posts the delivery, then polls the job every second until it succeeded, showing each state and the reply', async () => {
    const { fetchMock, jobPolls } = simulatorFetch(['queued', 'processing', 'succeeded']);
    renderWithProviders(<SimulatorPanel preselected={null} onOpenJob={() => {}} />);

    const account = await screen.findByLabelText('Account');
    // Every platform account except web chat, which has no webhook.
    expect(
      within(account)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual([
      'Telegram · Shop bot',
      'WhatsApp · Shop number',
      'Slack · Team workspace',
      'Slack · Sales workspace',
    ]);
    await userEvent.selectOptions(account, 'int_3');
    await userEvent.clear(screen.getByLabelText('Message'));
    await userEvent.type(screen.getByLabelText('Message'), 'Is it raining?');
    await userEvent.type(screen.getByLabelText('External user id (optional)'), 'U777');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    const progress = within(await screen.findByRole('region', { name: 'Simulation progress' }));
    expect(progress.getByText('evt_9')).toBeInTheDocument();
    expect(await progress.findByText('Not where your parcel is.', {}, { timeout: 4000 })).toBeInTheDocument();
    await waitFor(
      () =>
        expect(
          within(progress.getByRole('list', { name: 'States seen' }))
            .getAllByTestId('job-state')
            .map((badge) => badge.textContent),
        ).toEqual(['Queued', 'Processing', 'Succeeded']),
      { timeout: 4000 },
    );
    expect(progress.queryByLabelText('Waiting for the job')).not.toBeInTheDocument();

    const post = fetchMock.mock.calls.find(([path]) => path === '/api/integrations/int_3/simulate')!;
    expect(post[1]?.method).toBe('POST');
    expect(post[1]?.body).toBe('{"text":"Is it raining?","external_user_id":"U777"}');
    // Succeeded is final: polling stops.
    const polled = jobPolls();
    expect(polled).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(jobPolls()).toBe(polled);
  }, 10_000);

  it('preselects a connected account over an unverified or failing one listed before it', async () => {
    const [connected, invalid, attention, unverified] = integrations;
    mockFetch({
      'GET /api/integrations': () =>
        jsonResponse(200, { items: [unverified, invalid, attention, connected] }),
    });
    renderWithProviders(<SimulatorPanel preselected={null} onOpenJob={() => {}} />);
    expect(await screen.findByLabelText('Account')).toHaveValue(connected.id);
  });

  it('falls back to the first account when none is connected', async () => {
    const [, invalid, attention, unverified] = integrations;
    mockFetch({
      'GET /api/integrations': () => jsonResponse(200, { items: [unverified, invalid, attention] }),
    });
    renderWithProviders(<SimulatorPanel preselected={null} onOpenJob={() => {}} />);
    expect(await screen.findByLabelText('Account')).toHaveValue(unverified.id);
  });

  it('counts attempts as the operations table does: the attempts made, of the most allowed', async () => {
    const retrying = detail(
      job({
        id: 'job_9',
        event_id: 'evt_9',
        state: 'failed',
        attempts: 3,
        max_attempts: 6,
        last_error: 'Slack answered 500',
      }),
      { logs: [] },
    );
    mockFetch({
      'GET /api/integrations': () => jsonResponse(200, { items: withWebchat }),
      'POST /api/integrations/int_1/simulate': () =>
        jsonResponse(202, { event_id: 'evt_9', job_id: 'job_9', duplicate: false }),
      'GET /api/webhook-events/evt_9': () => jsonResponse(200, retrying.event),
      'GET /api/jobs/job_9': () => jsonResponse(200, retrying),
      'GET /api/jobs': () => jsonResponse(200, page([retrying])),
      'GET /api/jobs/stats': () => jsonResponse(200, stats),
    });
    renderWithProviders(<SimulatorPanel preselected={null} onOpenJob={() => {}} />);
    await screen.findByLabelText('Account');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const progress = within(await screen.findByRole('region', { name: 'Simulation progress' }));
    expect(await progress.findByText('Attempt 3 of 6 failed: Slack answered 500')).toBeInTheDocument();
  });

  it('asks for a message before sending and shows what the server refused', async () => {
    const fetchMock = mockFetch({
      'GET /api/integrations': () => jsonResponse(200, { items: integrations }),
      'POST /api/integrations/int_1/simulate': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { text: 'The text is too long.' } },
          },
        }),
    });
    renderWithProviders(<SimulatorPanel preselected={null} onOpenJob={() => {}} />);
    await userEvent.clear(await screen.findByLabelText('Message'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByText('Enter a message.')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);

    await userEvent.type(screen.getByLabelText('Message'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('The text is too long.')).toBeInTheDocument();
  });

  it('says to connect an account when there is none to simulate through', async () => {
    mockFetch({
      'GET /api/integrations': () =>
        jsonResponse(200, { items: [integration({ id: 'int_9', platform: 'webchat' })] }),
    });
    renderWithProviders(<SimulatorPanel preselected={null} onOpenJob={() => {}} />);
    expect(await screen.findByText(/Connect a platform account first/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open Integrations' })).toHaveAttribute('href', '/integrations');
  });
});

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

describe('Simulating from an integration', () => {
  const permissions = (allowed: string[]) => () =>
    jsonResponse(200, { roles: [], actions: [], role: 'owner', allowed });

  it('links each account on /integrations to the simulator, for roles that may simulate', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/permissions?org_id=org_1': permissions([
        'integrations.read',
        'integrations.manage',
        'jobs.manage',
      ]),
      'GET /api/integrations/platforms': () => jsonResponse(200, { items: platforms }),
      'GET /api/integrations': () => jsonResponse(200, { items: integrations }),
    });
    renderWithProviders(
      <SignedIn>
        <IntegrationsPage />
      </SignedIn>,
      { route: '/integrations' },
    );
    expect(await screen.findByRole('link', { name: 'Simulate a message to Team workspace' })).toHaveAttribute(
      'href',
      '/operations?simulate=int_3',
    );
    expect(screen.getAllByRole('link', { name: /^Simulate a message to/ })).toHaveLength(4);
  });

  it('opens /operations with that account chosen', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/permissions?org_id=org_1': permissions(['jobs.read', 'jobs.manage']),
      'GET /api/jobs/stats': () => jsonResponse(200, stats),
      'GET /api/jobs?limit=50': () => jsonResponse(200, page([])),
      'GET /api/jobs?state=dead&limit=1': () => jsonResponse(200, page([], { total: 0 })),
      'GET /api/bots?status=all': () => jsonResponse(200, { items: [] }),
      'GET /api/integrations': () => jsonResponse(200, { items: integrations }),
    });
    renderWithProviders(
      <SignedIn>
        <OperationsPage />
      </SignedIn>,
      { route: '/operations?simulate=int_3' },
    );
    const panel = within(await screen.findByRole('region', { name: 'Simulate a message' }));
    await waitFor(() => expect(panel.getByLabelText('Account')).toHaveValue('int_3'));
  });
});
