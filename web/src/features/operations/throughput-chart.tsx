// Per-minute received/succeeded/failed over the last hour (Recharts: SVG attributes and CSSOM styles only).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { JobStats } from '@/lib/api';
import { formatMinute } from '@/features/operations/format';

type Point = JobStats['last_hour']['per_minute'][number];

const MINUTE = 60_000;
const SERIES = [
  // Theme colours for the grey line (lighter in dark); green and red read on both backgrounds.
  { key: 'received', name: 'Received', color: 'hsl(var(--muted-foreground))' },
  { key: 'succeeded', name: 'Succeeded', color: '#10b981' },
  { key: 'failed', name: 'Failed', color: '#ef4444' },
] as const;

/** Sixty minutes ending now (or at the server's latest minute), with zeros where nothing happened. */
export function fillMinutes(points: Point[], now = Date.now()): Point[] {
  const byMinute = new Map<number, Point>();
  for (const point of points) {
    const at = Math.floor(new Date(point.minute).getTime() / MINUTE) * MINUTE;
    if (!Number.isNaN(at)) byMinute.set(at, point);
  }
  const end = Math.max(Math.floor(now / MINUTE) * MINUTE, ...byMinute.keys());
  return Array.from({ length: 60 }, (_, index) => {
    const at = end - (59 - index) * MINUTE;
    const point = byMinute.get(at);
    return {
      minute: new Date(at).toISOString(),
      received: point?.received ?? 0,
      succeeded: point?.succeeded ?? 0,
      failed: point?.failed ?? 0,
    };
  });
}

export function ThroughputChart({ points }: { points: Point[] }) {
  const data = fillMinutes(points).map((point) => ({ ...point, label: formatMinute(point.minute) }));
  return (
    <figure aria-label="Messages per minute in the last hour" className="h-48 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
          <CartesianGrid stroke="hsl(var(--border))" vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11, fill: 'hsl(var(--muted-foreground))' }}
            tickLine={false}
            axisLine={false}
            minTickGap={32}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 11, fill: 'hsl(var(--muted-foreground))' }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            cursor={{ stroke: 'hsl(var(--border))' }}
            itemSorter={(item) => SERIES.findIndex((series) => series.key === item.dataKey)}
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
            itemSorter={null}
            wrapperStyle={{ fontSize: 12 }}
            // The line shows the series' colour; the words are in the text colour, readable in both themes.
            formatter={(value: string) => <span className="text-foreground">{value}</span>}
          />
          {SERIES.map((series) => (
            <Line
              key={series.key}
              type="monotone"
              dataKey={series.key}
              name={series.name}
              stroke={series.color}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
