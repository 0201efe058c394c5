// Skipped jobs (past the monthly message quota) in the Operations console: their badge and reason,
// the state filter, the live counts and the log outcome in words.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { filtersFromSearch, retryTarget } from '@/features/operations/filters';
import { outcomeLabel } from '@/features/operations/format';
import { stats } from '@/features/operations/fixtures';
import { JobFiltersBar } from '@/features/operations/job-filters';
import {
  FINAL_STATES,
  JobReasonBadge,
  JobStateBadge,
  RETRYABLE_STATES,
} from '@/features/operations/job-states';
import { StatsOverview } from '@/features/operations/stats-overview';
import type { JobStats } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';
import type { UseQueryResult } from '@tanstack/react-query';

const withSkipped: JobStats = {
  ...stats,
  counts: { ...stats.counts, skipped: 12 },
  last_hour: { ...stats.last_hour, skipped: 7 },
};

describe('skipped jobs', () => {
  it('show a Skipped badge with the quota as their reason', () => {
    render(
      <>
        <JobStateBadge state="skipped" />
        <JobReasonBadge kind="quota" />
      </>,
    );
    expect(screen.getByTestId('job-state')).toHaveTextContent('Skipped');
    const reason = screen.getByTestId('job-reason');
    expect(reason).toHaveTextContent('Monthly quota used');
    expect(reason.getAttribute('title')).toMatch(/over-quota notice/);
  });

  it('are final and never offered for a retry', () => {
    expect(FINAL_STATES).toContain('skipped');
    expect(RETRYABLE_STATES).not.toContain('skipped');
    expect(retryTarget({ state: 'skipped' })).toBeNull();
    expect(filtersFromSearch(new URLSearchParams('state=skipped'))).toEqual({ state: 'skipped' });
  });

  it('can be chosen in the state filter', async () => {
    mockFetch({
      'GET /api/bots': () => jsonResponse(200, { items: [] }),
      'GET /api/integrations': () => jsonResponse(200, { items: [] }),
    });
    const onChange = vi.fn();
    renderWithProviders(<JobFiltersBar filters={{}} onChange={onChange} onClear={() => {}} />);
    await userEvent.selectOptions(screen.getByLabelText('State'), 'Skipped');
    expect(onChange).toHaveBeenCalledWith({ state: 'skipped' });
  });

  it('are counted in the live stats, and a click shows only them', async () => {
    const onSelect = vi.fn();
    const query = {
      data: withSkipped,
      isPending: false,
      isError: false,
      isFetching: false,
    } as unknown as UseQueryResult<JobStats>;
    renderWithProviders(<StatsOverview stats={query} onSelect={onSelect} />);
    const button = await screen.findByRole('button', { name: 'Skipped: 12' });
    await userEvent.click(button);
    expect(onSelect).toHaveBeenCalledWith('skipped');
    expect(screen.getByText('Skipped (quota)').nextElementSibling).toHaveTextContent('7');
  });

  it('explain their log outcome in words', () => {
    expect(outcomeLabel('over_quota_notice_sent')).toBe(
      'Over the monthly quota: the over-quota notice was sent',
    );
  });
});
