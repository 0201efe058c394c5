// Unit tests of the operations helpers: URL filters, retry target, time inputs, formatting, minute filling.
import { describe, expect, it } from 'vitest';
import { filtersFromSearch, hasFilters, retryTarget } from '@/features/operations/filters';
import { fromLocalInput, toLocalInput } from '@/lib/url-filters';
import { formatDuration, formatPayload, perMinute, truncate } from '@/features/operations/format';
import { fillMinutes } from '@/features/operations/throughput-chart';

describe('job filters in the URL', () => {
  it('reads the known filters, skipping empty values and unknown states', () => {
    expect(
      filtersFromSearch(
        new URLSearchParams('state=dead&bot_id=bot_1&q=+U1+&platform=&job=job_1&simulate=int_1'),
      ),
    ).toEqual({ state: 'dead', bot_id: 'bot_1', q: 'U1' });
    expect(filtersFromSearch(new URLSearchParams('state=exploded'))).toEqual({});
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ to: '2026-11-25T19:00:00Z' })).toBe(true);
  });

  it('retries the chosen retryable state, dead when none is chosen, nothing otherwise', () => {
    expect(retryTarget({})).toBe('dead');
    expect(retryTarget({ state: 'failed' })).toBe('failed');
    expect(retryTarget({ state: 'cancelled' })).toBe('cancelled');
    expect(retryTarget({ state: 'succeeded' })).toBeNull();
    expect(retryTarget({ state: 'queued' })).toBeNull();
  });

  it('turns datetime-local values into RFC 3339 and back', () => {
    const iso = fromLocalInput('2026-11-25T19:40');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    expect(toLocalInput(iso)).toBe('2026-11-25T19:40');
    expect(fromLocalInput('')).toBe('');
    expect(toLocalInput('not a time')).toBe('');
  });
});

describe('formatting', () => {
  it('writes durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('—');
  });

  it('writes last-hour counts as rates', () => {
    expect(perMinute(150)).toBe('2.5/min');
    expect(perMinute(0)).toBe('0/min');
    expect(perMinute(1200)).toBe('20/min');
  });

  it('pretty-prints payloads that are JSON, as text or parsed, and keeps anything else as received', () => {
    expect(formatPayload('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', json: true });
    expect(formatPayload({ a: 1 })).toEqual({ text: '{\n  "a": 1\n}', json: true });
    expect(formatPayload('Body=Hi&From=%2B1555')).toEqual({ text: 'Body=Hi&From=%2B1555', json: false });
  });

  it('shortens long text with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a long message here', 8)).toBe('a long…');
  });
});

describe('fillMinutes', () => {
  it('gives sixty minutes ending now, with zeros where the server sent nothing', () => {
    const now = Date.parse('2026-11-25T19:40:30Z');
    const filled = fillMinutes(
      [
        { minute: '2026-11-25T19:40:00Z', received: 5, succeeded: 4, failed: 1 },
        { minute: '2026-11-25T19:38:00Z', received: 2, succeeded: 2, failed: 0 },
        { minute: '2026-11-25T17:00:00Z', received: 9, succeeded: 9, failed: 0 },
      ],
      now,
    );
    expect(filled).toHaveLength(60);
    expect(filled[0].minute).toBe('2026-11-25T18:41:00.000Z');
    expect(filled.slice(-3)).toEqual([
      { minute: '2026-11-25T19:38:00.000Z', received: 2, succeeded: 2, failed: 0 },
      { minute: '2026-11-25T19:39:00.000Z', received: 0, succeeded: 0, failed: 0 },
      { minute: '2026-11-25T19:40:00.000Z', received: 5, succeeded: 4, failed: 1 },
    ]);
  });
});
