// Warns on /integrations when platforms cannot call this installation back (loopback, private, plain
// HTTP…): the server's reason and the setting, with its environment variable, that changes it.
import { TriangleAlert } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { PublicBaseUrl } from '@/lib/api';

export function PublicUrlWarning({ status }: { status: PublicBaseUrl | null | undefined }) {
  if (!status || status.reachable) return null;
  return (
    <Alert variant="warning" aria-label="Platforms cannot reach this server">
      <TriangleAlert />
      <div className="min-w-0 space-y-1 break-words">
        <p className="font-medium">
          Platforms cannot reach <code className="font-mono text-xs break-all">{status.url || '(not set)'}</code>
        </p>
        <p>{status.message} Webhook deliveries from WhatsApp, Telegram, Slack and the others will not arrive.</p>
        <p>
          Set <code className="font-mono text-xs">{status.setting}</code> (environment variable{' '}
          <code className="font-mono text-xs break-all">{status.environment_variable}</code>) to the public{' '}
          <code className="font-mono text-xs">https://</code> address of this installation and restart the server.
        </p>
      </div>
    </Alert>
  );
}
