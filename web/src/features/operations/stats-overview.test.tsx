// Live stats: refresh interval, pause while the tab is hidden, loading and error states.
import { act, screen } from '@testing-library/react';
import { focusManager } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stats } from '@/features/operations/fixtures';
import { STATS_REFRESH_MS, useJobStats } from '@/features/operations/queries';
import { StatsOverview } from '@/features/operations/stats-overview';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

function LiveStats() {
  return <StatsOverview stats={useJobStats()} onSelect={() => {}} />;
}

const statsCalls = (fetchMock: ReturnType<typeof mockFetch>) =>
  fetchMock.mock.calls.filter(([path]) => path === '/api/jobs/stats').length;

afterEach(() => {
  focusManager.setFocused(undefined);
  vi.useRealTimers();
});

describe('StatsOverview', () => {
  it('refreshes every few seconds while the tab is visible, and pauses while it is hidden', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let received = 150;
    const fetchMock = mockFetch({
      'GET /api/jobs/stats': () =>
        jsonResponse(200, { ...stats, last_hour: { ...stats.last_hour, received: received++ } }),
    });
    renderWithProviders(<LiveStats />);
    expect(await screen.findByText('150')).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(STATS_REFRESH_MS));
    expect(await screen.findByText('151')).toBeInTheDocument();
    expect(statsCalls(fetchMock)).toBe(2);

    act(() => focusManager.setFocused(false));
    await act(() => vi.advanceTimersByTimeAsync(STATS_REFRESH_MS * 3));
    expect(statsCalls(fetchMock)).toBe(2);
  });

  it('says what failed, and stops polling until asked to try again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetchMock = mockFetch({
      'GET /api/jobs/stats': () => jsonResponse(500, { error: { code: 'internal', message: 'Boom.' } }),
    });
    renderWithProviders(<LiveStats />);
    // Server errors are retried twice (query-client.ts) before the page says so.
    await act(() => vi.advanceTimersByTimeAsync(STATS_REFRESH_MS * 4));
    expect(screen.getByText('Could not load the live counts')).toBeInTheDocument();
    expect(screen.getByText('Boom.')).toBeInTheDocument();
    // Asked three times (two retries), then no more polling until "Try again".
    expect(statsCalls(fetchMock)).toBe(3);
  });

  it('shows skeletons while the first answer is on its way', async () => {
    mockFetch({ 'GET /api/jobs/stats': () => new Promise<Response>(() => {}) as unknown as Response });
    renderWithProviders(<LiveStats />);
    expect(await screen.findByLabelText('Loading the live counts')).toBeInTheDocument();
  });
});
