// Numbers as people read them, and the change against the previous period with its good/bad tone.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '@/lib/utils';
import { formatCost, formatMetric, formatPercent, metricChange } from '@/features/analytics/metrics';

describe('analytics number formats', () => {
  it('writes durations in the unit that reads best', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1_200)).toBe('1.2 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(5_400_000)).toBe('1.5 h');
  });

  it('writes rates as percentages, costs in dollars and missing values as a dash', () => {
    expect(formatPercent(0.55)).toBe('55%');
    expect(formatPercent(0.0687)).toBe('6.9%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatCost(3_104_000)).toBe('$3.10');
    expect(formatCost(4_200)).toBe('$0.0042');
    expect(formatMetric('resolution_rate', null)).toBe('—');
    expect(formatMetric('satisfaction_average', 4.25)).toBe('4.3 / 5');
    expect(formatMetric('conversations', 1_234_567, true)).toBe('1.2M');
    expect(formatMetric('conversations', 1_234)).toBe('1,234');
  });
});

describe('metricChange', () => {
  it('calls more conversations good news', () => {
    expect(metricChange('conversations', 120, 100)).toMatchObject({
      direction: 'up',
      text: '+20%',
      tone: 'good',
    });
  });

  it('calls a shorter first response good and a longer one bad', () => {
    expect(metricChange('first_response_p50_ms', 1_200, 1_500)).toMatchObject({
      direction: 'down',
      text: '−20%',
      tone: 'good',
    });
    expect(metricChange('first_response_p90_ms', 4_800, 4_000)).toMatchObject({
      direction: 'up',
      tone: 'bad',
    });
  });

  it('gives rates in percentage points; a rising handoff rate is bad', () => {
    expect(metricChange('resolution_rate', 0.55, 0.45)).toMatchObject({ text: '+10 pts', tone: 'good' });
    expect(metricChange('handoff_rate', 0.15, 0.1)).toMatchObject({ text: '+5.0 pts', tone: 'bad' });
  });

  it('keeps neutral metrics grey and says nothing without a previous value', () => {
    expect(metricChange('ai_tokens', 900, 700)).toMatchObject({ direction: 'up', tone: 'neutral' });
    expect(metricChange('conversations', 5, null)).toBeNull();
    expect(metricChange('conversations', 5, 0)).toBeNull();
    expect(metricChange('conversations', 0, 0)).toMatchObject({ direction: 'flat', tone: 'neutral' });
    expect(metricChange('resolution_rate', null, 0.5)).toBeNull();
  });
});
