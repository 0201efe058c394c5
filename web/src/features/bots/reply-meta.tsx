// What the test console shows under a bot reply: where it came from, how long it took, tokens, errors.
import { Badge } from '@/components/ui/badge';
import type { Reply, ReplySource } from '@/lib/api';

export const SOURCE_LABELS: Record<ReplySource, string> = {
  ai: 'AI',
  template: 'Template',
  fallback: 'Fallback',
};

const SOURCE_VARIANTS = { ai: 'blue', template: 'green', fallback: 'amber' } as const;

export function SourceBadge({ source }: { source: ReplySource }) {
  return (
    <Badge variant={SOURCE_VARIANTS[source] ?? 'secondary'} data-testid="reply-source">
      {SOURCE_LABELS[source] ?? source}
    </Badge>
  );
}

/** An AI reply's cost from millionths of a dollar: 123 → "$0.000123", 1_500_000 → "$1.50". */
export function formatCostMicros(micros: number): string {
  const dollars = (micros / 1_000_000).toFixed(6).replace(/0{1,4}$/, '');
  return `$${dollars}`;
}

export function ReplyMeta({ reply, templateName }: { reply: Reply; templateName?: string }) {
  const tokens =
    reply.prompt_tokens !== null || reply.completion_tokens !== null
      ? `${reply.prompt_tokens ?? 0} in · ${reply.completion_tokens ?? 0} out tokens`
      : null;
  return (
    <>
      <SourceBadge source={reply.source} />
      {templateName ? <span>“{templateName}”</span> : null}
      {reply.model ? <code className="font-mono">{reply.model}</code> : null}
      <span>{reply.latency_ms} ms</span>
      {tokens ? <span>{tokens}</span> : null}
      {typeof reply.cost_micros === 'number' ? (
        <span title="What the model call cost">{formatCostMicros(reply.cost_micros)}</span>
      ) : null}
      {reply.error ? <span className="basis-full text-red-600">{reply.error}</span> : null}
    </>
  );
}
