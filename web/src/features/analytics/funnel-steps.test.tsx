// The funnel's steps as the real server answers them: resolved and converted need not have been
// engaged, so a step can hold more conversations than the one before (drop_off < 0).
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FunnelSteps } from '@/features/analytics/overview-panels';

describe('FunnelSteps', () => {
  it('shows a larger step as "+N" and no drop-off of zero', () => {
    render(
      <FunnelSteps
        segment={{
          key: 'all',
          label: 'All conversations',
          steps: [
            { key: 'first_contact', label: 'First contact', count: 4, drop_off: 0 },
            { key: 'engaged', label: 'Engaged', count: 1, drop_off: 3 },
            { key: 'resolved', label: 'Resolved', count: 2, drop_off: -1 },
            { key: 'converted', label: 'Converted', count: 2, drop_off: 0 },
          ],
        }}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'All conversations' })).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'First contact4(100%)',
      'Engaged1(25%)−3 (75%) dropped off',
      'Resolved2(50%)+1 more than the step before',
      'Converted2(50%)',
    ]);
  });
});
