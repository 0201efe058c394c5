// The trend chart's rows: this period's points with the previous period's at the same index.
import { describe, expect, it } from 'vitest';
import { series } from '@/features/analytics/fixtures';
import { trendRows } from '@/features/analytics/trend-chart';

describe('trendRows', () => {
  it('pairs each point with the previous period’s and shortens the labels', () => {
    const data = series(3);
    const rows = trendRows(data, 'conversations');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      label: 'Nov 5',
      current: data.points[0].metrics.conversations,
      previous: data.previous_points![0].metrics.conversations,
    });
  });

  it('labels hours by the time and leaves the previous line out with compare=none', () => {
    const data = { ...series(1), previous_points: null };
    data.points[0] = { ...data.points[0], label: '2026-12-04 14:00' };
    expect(trendRows(data, 'resolution_rate')[0]).toMatchObject({ label: '14:00', previous: null });
  });
});
