// "Too many requests": the server's words and how long to wait (from Retry-After).
import { TimerReset } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { ApiError } from '@/lib/api';
import { formatWait } from '@/lib/utils';

export function RateLimitedAlert({ error }: { error: ApiError }) {
  return (
    <Alert variant="warning">
      <TimerReset />
      <span>
        {error.message} {error.retryAfter ? `Try again in ${formatWait(error.retryAfter)}.` : null}
      </span>
    </Alert>
  );
}
