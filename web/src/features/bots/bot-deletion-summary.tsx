// What deleting a bot takes with it, for the confirmation: every deployment by name, on every
// platform (web chat and accounts alike), so nobody deletes a bot still answering on WhatsApp unawares.
import { platformMeta } from '@/features/integrations/platform-meta';
import { useDeployments } from '@/features/bots/queries';
import type { Deployment } from '@/lib/api';

export function deploymentLabel(deployment: Deployment): string {
  const platform = platformMeta(deployment.channel).label;
  return deployment.integration_name ? `${platform} · ${deployment.integration_name}` : platform;
}

export function BotDeletionSummary({ botId, botName }: { botId: string; botName: string }) {
  const deployments = useDeployments(botId);
  const name = <span className="font-medium text-foreground">“{botName}”</span>;
  const tail = 'This cannot be undone; archive it to keep its history.';
  if (deployments.isPending) {
    return (
      <span aria-busy="true">
        {name}, its deployments and its conversations are deleted. {tail}
      </span>
    );
  }
  if (deployments.isError) {
    return (
      <span>
        {name}, all its deployments (on every platform) and its conversations are deleted. {tail}
      </span>
    );
  }
  const items = deployments.data;
  if (items.length === 0) {
    return (
      <span>
        {name} and its conversations are deleted; it has no deployments. {tail}
      </span>
    );
  }
  // Inline, not a list: the description is a paragraph.
  const labels = items.map((d) => `${deploymentLabel(d)}${d.status === 'paused' ? ' (paused)' : ''}`);
  const named =
    labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
  return (
    <span>
      {name}, its conversations and{' '}
      {items.length === 1 ? 'its deployment' : `its ${items.length} deployments`} are deleted: it stops
      answering on <span className="font-medium text-foreground">{named}</span>. {tail}
    </span>
  );
}
