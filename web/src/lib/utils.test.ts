import { describe, expect, it } from 'vitest';
import { formatLatency, formatRelative, formatWait, initials } from '@/lib/utils';

describe('display helpers', () => {
  it('makes initials from the first and last name', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('grace brewster hopper')).toBe('GH');
    expect(initials('Ada')).toBe('A');
    expect(initials('  ')).toBe('?');
  });

  it('words a wait in seconds or whole minutes', () => {
    expect(formatWait(1)).toBe('1 second');
    expect(formatWait(45)).toBe('45 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(899)).toBe('15 minutes');
  });

  it('keeps two significant digits for sub-millisecond latencies', () => {
    expect(formatLatency(0.043902)).toBe('0.044 ms');
    expect(formatLatency(3.24)).toBe('3.2 ms');
  });

  it('describes times relative to now', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(formatRelative('2026-11-27T12:00:00Z', now)).toMatch(/in 2 days/);
    expect(formatRelative('2026-11-25T11:55:00Z', now)).toMatch(/5 minutes ago/);
  });
});
