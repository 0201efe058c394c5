// Replies held in doubt after a crash (ADR 0040): their badge and explanation in the job dialog,
// Resend and Discard for those who may, the state filter and the count.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { filtersFromSearch } from '@/features/operations/filters';
import { detail, job } from '@/features/operations/fixtures';
import { outcomeLabel } from '@/features/operations/format';
import { JobDialog } from '@/features/operations/job-dialog';
import { FINAL_STATES, JobStateBadge, RETRYABLE_STATES } from '@/features/operations/job-states';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

vi.mock('sonner', async (original) => ({
  ...(await original<typeof import('sonner')>()),
  toast: Object.assign(vi.fn(), { success: vi.fn(), error: vi.fn(), warning: vi.fn() }),
}));

const held = job({
  id: 'job_9',
  state: 'in_doubt',
  platform_message_id: null,
  finished_at: null,
  latency_ms: null,
  last_error: 'Held in doubt: the worker stopped while sending this reply. Resend or discard it.',
});

function renderDialog(canManage: boolean, after: 'queued' | 'cancelled' = 'queued') {
  const fetchMock = mockFetch({
    'GET /api/jobs/job_9': () => jsonResponse(200, detail(held)),
    'POST /api/jobs/job_9/resend': () => jsonResponse(200, { ...held, state: after }),
    'POST /api/jobs/job_9/discard': () => jsonResponse(200, { ...held, state: after }),
  });
  renderWithProviders(<JobDialog jobId="job_9" canManage={canManage} onClose={() => {}} />);
  return fetchMock;
}

const calls = (fetchMock: ReturnType<typeof mockFetch>) =>
  fetchMock.mock.calls.map(([path, init]) => `${init?.method ?? 'GET'} ${String(path)}`);

describe('replies in doubt', () => {
  it('show an “In doubt” badge, are not final and are not retried in bulk', () => {
    render(<JobStateBadge state="in_doubt" />);
    expect(screen.getByTestId('job-state')).toHaveTextContent('In doubt');
    expect(FINAL_STATES).not.toContain('in_doubt');
    expect(RETRYABLE_STATES).not.toContain('in_doubt');
    expect(filtersFromSearch(new URLSearchParams('state=in_doubt'))).toEqual({ state: 'in_doubt' });
    expect(outcomeLabel('held_in_doubt')).toBe('Held in doubt for a person to resend or discard');
  });

  it('explain what happened and resend on request', async () => {
    const fetchMock = renderDialog(true);
    expect(await screen.findByTestId('in-doubt-note')).toHaveTextContent(/may or may not have delivered it/);
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/jobs/job_9/resend'));
    expect(calls(fetchMock)).not.toContain('POST /api/jobs/job_9/discard');
  });

  it('can be discarded', async () => {
    const fetchMock = renderDialog(true, 'cancelled');
    await userEvent.click(await screen.findByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/jobs/job_9/discard'));
    expect(calls(fetchMock)).not.toContain('POST /api/jobs/job_9/resend');
  });

  it('offer no actions to those who may only read', async () => {
    renderDialog(false);
    expect(await screen.findByTestId('in-doubt-note')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resend' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Discard' })).not.toBeInTheDocument();
  });
});
