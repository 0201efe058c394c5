// Meters: used of limit, unlimited shown as such, amber from 80 %, red at 100 %.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { UsageMeter } from '@/features/billing/usage-meter';
import { exceededMeters, meterLevel, meters, usageWarnings } from '@/features/billing/usage';
import { overview } from '@/features/billing/fixtures';

describe('meterLevel', () => {
  it('is amber from 80 % and red at 100 % and above; unlimited without a limit', () => {
    expect(meterLevel(0, 3)).toBe('ok');
    expect(meterLevel(7, 10)).toBe('ok');
    expect(meterLevel(8, 10)).toBe('warning');
    expect(meterLevel(399, 500)).toBe('ok');
    expect(meterLevel(400, 500)).toBe('warning');
    expect(meterLevel(3, 3)).toBe('full');
    expect(meterLevel(5, 3)).toBe('full');
    expect(meterLevel(0, 0)).toBe('full');
    expect(meterLevel(1_000_000, null)).toBe('unlimited');
  });
});

describe('UsageMeter', () => {
  it('shows used of limit with a bar that says how full it is', () => {
    render(<UsageMeter meter={{ limit: 'bots', used: 1, max: 3, level: 'ok' }} />);
    const bar = screen.getByRole('progressbar', { name: 'Bots' });
    expect(bar).toHaveAttribute('aria-valuenow', '1');
    expect(bar).toHaveAttribute('aria-valuemax', '3');
    expect(bar).toHaveAttribute('data-level', 'ok');
    expect(screen.getByText('1 of 3')).toBeInTheDocument();
  });

  it('says 80 % used in amber and limit reached or over the limit in red', () => {
    const { rerender } = render(
      <UsageMeter meter={{ limit: 'messages_per_month', used: 450, max: 500, level: 'warning' }} />,
    );
    expect(screen.getByText('90% used')).toHaveClass('text-amber-700');
    expect(screen.getByText('450 of 500')).toBeInTheDocument();
    rerender(<UsageMeter meter={{ limit: 'bots', used: 3, max: 3, level: 'full' }} />);
    expect(screen.getByText('Limit reached')).toHaveClass('text-red-700');
    expect(screen.getByRole('progressbar', { name: 'Bots' })).toHaveAttribute('data-level', 'full');
    rerender(<UsageMeter meter={{ limit: 'bots', used: 5, max: 3, level: 'full' }} />);
    expect(screen.getByText('Over the limit')).toBeInTheDocument();
  });

  it('shows an unlimited limit as unlimited, not as a full or empty bar with a number', () => {
    render(<UsageMeter meter={{ limit: 'bots', used: 42, max: null, level: 'unlimited' }} />);
    expect(screen.getByText('42 · unlimited')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Bots' })).toHaveAttribute(
      'aria-valuetext',
      '42 bots, unlimited',
    );
  });
});

describe('warnings and exceeded limits', () => {
  it('lists the limits at 80 % or more, full ones first', () => {
    const data = overview({
      usage: {
        bots: 3,
        integrations: 0,
        members: 1,
        messages: 420,
        insight_runs: 0,
        ai_cost_micros: 0,
        ai_tokens: 0,
      },
    });
    expect(usageWarnings(data).map((meter) => [meter.limit, meter.level])).toEqual([
      ['bots', 'full'],
      ['messages_per_month', 'warning'],
    ]);
    expect(meters(data.limits, data.usage)).toHaveLength(5);
  });

  it('warns about nothing when billing is off or the organisation is grandfathered', () => {
    const full = {
      bots: 30,
      integrations: 30,
      members: 30,
      messages: 30000,
      insight_runs: 300,
      ai_cost_micros: 0,
      ai_tokens: 0,
    };
    expect(usageWarnings(overview({ enabled: false, usage: full }))).toEqual([]);
    expect(usageWarnings(overview({ grandfathered: true, usage: full }))).toEqual([]);
  });

  it('takes the exceeded limits from the server, with their numbers', () => {
    const data = overview({
      exceeded: ['bots', 'integrations'],
      usage: {
        bots: 5,
        integrations: 4,
        members: 1,
        messages: 0,
        insight_runs: 0,
        ai_cost_micros: 0,
        ai_tokens: 0,
      },
    });
    expect(exceededMeters(data).map((meter) => [meter.limit, meter.used, meter.max])).toEqual([
      ['bots', 5, 3],
      ['integrations', 4, 2],
    ]);
  });
});
