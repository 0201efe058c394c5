// One metric over the range (a solid line) and over the previous period (dashed), aligned by day or
// hour. Recharts: SVG attributes and CSSOM styles only, theme colours through CSS variables.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricKey, Series } from '@/features/analytics/api';
import { formatMetric, METRICS } from '@/features/analytics/metrics';

export interface TrendRow {
  label: string;
  current: number | null;
  previous: number | null;
}

/** The chart's rows: each point's value and the previous period's point at the same index. */
export function trendRows(series: Series, metric: MetricKey): TrendRow[] {
  return series.points.map((point, index) => ({
    // "2026-11-05" → "Nov 5"; "2026-11-05 14:00" → "14:00".
    label: shortLabel(point.label),
    current: point.metrics[metric] ?? null,
    previous: series.previous_points?.[index]?.metrics[metric] ?? null,
  }));
}

function shortLabel(label: string): string {
  const hour = label.match(/^\d{4}-\d{2}-\d{2} (\d{2}:\d{2})$/);
  if (hour) return hour[1];
  const day = label.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!day) return label;
  const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

const tick = { fontSize: 11, fill: 'hsl(var(--muted-foreground))' };

export default function TrendChart({ series, metric }: { series: Series; metric: MetricKey }) {
  const rows = trendRows(series, metric);
  const label = METRICS[metric].label;
  return (
    <figure aria-label={`${label} over the range`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
          <CartesianGrid stroke="hsl(var(--border))" vertical={false} />
          <XAxis dataKey="label" tick={tick} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis
            tick={tick}
            tickLine={false}
            axisLine={false}
            width={56}
            tickFormatter={(value: number) => formatMetric(metric, value, true)}
          />
          <Tooltip
            cursor={{ stroke: 'hsl(var(--border))' }}
            formatter={(value) => formatMetric(metric, typeof value === 'number' ? value : null)}
            contentStyle={{
              borderRadius: 6,
              borderColor: 'hsl(var(--border))',
              background: 'hsl(var(--popover))',
              color: 'hsl(var(--popover-foreground))',
              fontSize: 12,
            }}
            labelStyle={{ color: 'hsl(var(--popover-foreground))' }}
          />
          <Legend
            iconType="plainline"
            wrapperStyle={{ fontSize: 12 }}
            formatter={(value: string) => <span className="text-foreground">{value}</span>}
          />
          <Line
            type="monotone"
            dataKey="current"
            name="This period"
            stroke="#6366f1"
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          {series.previous_points ? (
            <Line
              type="monotone"
              dataKey="previous"
              name="Previous period"
              stroke="hsl(var(--muted-foreground))"
              strokeWidth={1.5}
              strokeDasharray="5 4"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
