// Says when replies cannot come from AI: no API key configured, or the provider's last error.
import { AlertCircle, Info } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { useAiStatus } from '@/features/bots/queries';
import { formatRelative } from '@/lib/utils';

export const AI_NOT_CONFIGURED =
  'AI is not configured: replies come from your templates and the fallback message. Set OPENROUTER_API_KEY to enable AI.';

export function AiStatusBanner({ className }: { className?: string }) {
  const status = useAiStatus();
  if (!status.data) return null;
  if (!status.data.configured) {
    return (
      <Alert variant="warning" className={className}>
        <Info />
        <span>{AI_NOT_CONFIGURED}</span>
      </Alert>
    );
  }
  const last = status.data.last_error;
  if (!last) return null;
  return (
    <Alert variant="destructive" className={className}>
      <AlertCircle />
      <span>
        <span className="font-medium">The last AI request failed</span>
        {last.status ? ` (${last.status})` : ''}: {last.reason}
        {last.at ? <span className="text-red-700/80"> · {formatRelative(last.at)}</span> : null}
      </span>
    </Alert>
  );
}
