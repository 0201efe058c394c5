// An integration's status as a coloured badge, and a platform's accounts summed up in words.
import { Badge } from '@/components/ui/badge';
import type { Integration, IntegrationStatus } from '@/lib/api';

export const STATUS_LABELS: Record<IntegrationStatus, string> = {
  connected: 'Connected',
  invalid: 'Invalid',
  needs_attention: 'Needs attention',
  unverified: 'Unverified',
};

const STATUS_VARIANTS = {
  connected: 'green',
  invalid: 'red',
  needs_attention: 'amber',
  unverified: 'secondary',
} as const satisfies Record<IntegrationStatus, string>;

/** What each status means for the user, when the server gave no reason of its own. */
export const STATUS_EXPLANATIONS: Record<IntegrationStatus, string> = {
  connected: 'The last check passed.',
  invalid: 'The platform refused these credentials: fix them, then verify again.',
  needs_attention: 'The platform could not be asked (timeout, rate limit or server error): try again.',
  unverified: 'Not checked since the credentials were saved: verify them before deploying a bot.',
};

export function IntegrationStatusBadge({ status }: { status: IntegrationStatus }) {
  return (
    <Badge variant={STATUS_VARIANTS[status] ?? 'secondary'} data-testid="integration-status">
      {STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

const SUMMARY_ORDER: IntegrationStatus[] = ['connected', 'needs_attention', 'invalid', 'unverified'];

/** "2 connected · 1 needs attention", or "Not connected" when there is no account. */
export function summarizeStatuses(integrations: Pick<Integration, 'status'>[]): string {
  if (integrations.length === 0) return 'Not connected';
  const counts = new Map<IntegrationStatus, number>();
  for (const { status } of integrations) counts.set(status, (counts.get(status) ?? 0) + 1);
  return SUMMARY_ORDER.filter((status) => counts.has(status))
    .map((status) => {
      const count = counts.get(status)!;
      if (status === 'needs_attention') return `${count} ${count === 1 ? 'needs' : 'need'} attention`;
      return `${count} ${STATUS_LABELS[status].toLowerCase()}`;
    })
    .join(' · ');
}
