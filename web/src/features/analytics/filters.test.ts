// The filters the URL holds: a preset (30 days unless told), or a custom range with both dates.
import { describe, expect, it } from 'vitest';
import { analyticsQueryFromSearch } from '@/features/analytics/filters';

const parse = (search: string) => analyticsQueryFromSearch(new URLSearchParams(search));

describe('analyticsQueryFromSearch', () => {
  it('defaults to the last 30 days', () => {
    expect(parse('')).toEqual({ preset: '30d' });
  });

  it('keeps a known preset and the segment filters', () => {
    expect(parse('preset=7d&bot_id=bot_1&platform=telegram&template_id=tpl_1')).toEqual({
      preset: '7d',
      bot_id: 'bot_1',
      platform: 'telegram',
      template_id: 'tpl_1',
    });
  });

  it('prefers a custom range with both dates over the preset', () => {
    expect(parse('preset=7d&from=2026-11-01&to=2026-11-15')).toEqual({
      from: '2026-11-01',
      to: '2026-11-15',
    });
  });

  it('ignores half a range, a malformed date and an unknown preset', () => {
    expect(parse('from=2026-11-01')).toEqual({ preset: '30d' });
    expect(parse('from=2026-11-01&to=tomorrow')).toEqual({ preset: '30d' });
    expect(parse('preset=forever')).toEqual({ preset: '30d' });
  });
});
