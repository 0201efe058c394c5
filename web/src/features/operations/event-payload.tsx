// A stored webhook event and its payload as received (pretty JSON when it parses; secrets masked by server).
import { Badge } from '@/components/ui/badge';
import { formatPayload, formatTimestamp } from '@/features/operations/format';
import type { WebhookEvent } from '@/lib/api';

export function EventPayload({ event }: { event: WebhookEvent }) {
  const payload = formatPayload(event.payload);
  return (
    <div className="space-y-2">
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
        <code className="font-mono text-foreground">{event.id}</code>
        <Badge variant={event.status === 'accepted' ? 'green' : 'secondary'}>{event.status}</Badge>
        <span>{event.kind}</span>
        <span>Received {formatTimestamp(event.received_at)}</span>
        <span>
          Key <code className="font-mono">{event.idempotency_key}</code>
        </span>
      </p>
      <pre
        aria-label="Event payload"
        className="max-h-72 overflow-auto rounded-md border bg-muted/30 px-3 py-2 font-mono text-xs"
      >
        {payload.text || '(empty)'}
      </pre>
      <p className="text-xs text-muted-foreground">
        {payload.json ? 'JSON' : 'As received'}; tokens and signatures are masked by the server.
      </p>
    </div>
  );
}
