import { describe, expect, it } from 'vitest';
import { formatCostMicros } from '@/features/bots/reply-meta';

describe('formatCostMicros', () => {
  it('shows a fraction of a cent to the millionth of a dollar, and whole amounts with cents', () => {
    expect(formatCostMicros(123)).toBe('$0.000123');
    expect(formatCostMicros(120)).toBe('$0.00012');
    expect(formatCostMicros(0)).toBe('$0.00');
    expect(formatCostMicros(100_000)).toBe('$0.10');
    expect(formatCostMicros(1_500_000)).toBe('$1.50');
    expect(formatCostMicros(1_234_567)).toBe('$1.234567');
  });
});
