// One connected account on its platform's card: status, what the platform said, the webhook URL, and
// (for owners and admins) verify, test message, simulated delivery, webhook registration, edit and disconnect.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FlaskConical, Loader2, Pencil, Send, ShieldCheck, Unplug, Webhook } from 'lucide-react';
import { Link } from 'react-router-dom';
import { toast } from 'sonner';
import { ConfirmDialog, ErrorAlert } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { IntegrationDialog } from '@/features/integrations/integration-dialog';
import { refreshIntegrations, storeIntegration } from '@/features/integrations/queries';
import { IntegrationStatusBadge, STATUS_EXPLANATIONS } from '@/features/integrations/status';
import { PlatformAnswerAlert, TestMessageDialog } from '@/features/integrations/test-message-dialog';
import { WebhookSetupInfo } from '@/features/integrations/webhook-setup';
import { SIMULATED_PLATFORMS } from '@/features/operations/simulator';
import { Action, usePermissions } from '@/features/permissions/queries';
import { api, type Integration, type IntegrationPlatform } from '@/lib/api';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';

const REASON_COLORS = {
  connected: 'text-muted-foreground',
  invalid: 'text-red-700',
  needs_attention: 'text-amber-700',
  unverified: 'text-muted-foreground',
} as const;

/** Why “Register webhook” is unavailable in a status, shown beside the disabled button. */
export const WEBHOOK_BLOCKED_REASONS: Partial<Record<Integration['status'], string>> = {
  needs_attention: 'Register webhook is unavailable while the account needs attention: verify it again first.',
  invalid: 'Register webhook is unavailable while the platform refuses the credentials: edit them and verify.',
};

export function IntegrationRow({
  integration,
  platform,
  canManage,
}: {
  integration: Integration;
  platform: IntegrationPlatform;
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  // Simulating needs jobs.manage, which the same roles hold as integrations.manage.
  const canSimulate = can(Action.jobsManage) && SIMULATED_PLATFORMS.includes(integration.platform);
  const [dialog, setDialog] = React.useState<'edit' | 'test' | 'disconnect' | null>(null);
  const closeDialog = React.useCallback((open: boolean) => {
    if (!open) setDialog(null);
  }, []);
  const verify = useMutation({
    mutationFn: () => api.integrations.verify(integration.id),
    onSuccess: async (checked) => {
      await storeIntegration(queryClient, checked);
      const description = checked.status_reason || STATUS_EXPLANATIONS[checked.status];
      if (checked.status === 'connected') {
        toast.success(`“${checked.name}” is connected`, {
          description: checked.account ? `${platform.name} knows it as ${checked.account}.` : description,
        });
      } else if (checked.status === 'needs_attention') {
        toast.warning(`${platform.name} could not be asked`, { description });
      } else {
        toast.error(`${platform.name} refused “${checked.name}”`, { description });
      }
    },
  });
  const webhook = useMutation({
    mutationFn: () => api.integrations.registerWebhook(integration.id),
    meta: { inlineError: true },
    onSuccess: (answer) => storeIntegration(queryClient, answer.integration),
  });
  const disconnect = useMutation({
    mutationFn: () => api.integrations.remove(integration.id),
    meta: { inlineError: true },
    onSuccess: async () => {
      await refreshIntegrations(queryClient);
      setDialog(null);
      toast.success(`“${integration.name}” disconnected`, {
        description: 'Its credentials are deleted from Switchboard.',
      });
    },
  });

  const reason = integration.status_reason || STATUS_EXPLANATIONS[integration.status];
  // A platform that could not be asked, or refused the credentials, would refuse the registration too.
  const webhookBlocked = WEBHOOK_BLOCKED_REASONS[integration.status];
  const webhookReasonId = React.useId();
  const deployments = integration.deployment_count;
  return (
    <li
      aria-label={integration.name}
      aria-busy={verify.isPending || undefined}
      className="grid gap-3 rounded-md border p-4"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
            {integration.name}
            <IntegrationStatusBadge status={integration.status} />
          </p>
          <p className="text-xs text-muted-foreground">
            {integration.account ? (
              <>
                <span className="font-mono text-foreground">{integration.account}</span>
                {' · '}
              </>
            ) : null}
            {integration.checked_at ? (
              <>
                Checked{' '}
                <span title={formatDateTime(integration.checked_at)}>
                  {formatRelative(integration.checked_at)}
                </span>
              </>
            ) : (
              'Never checked'
            )}
            {' · '}
            {deployments === 0
              ? 'no deployments'
              : `${deployments} deployment${deployments === 1 ? '' : 's'}`}
          </p>
          <p className={cn('text-sm', REASON_COLORS[integration.status])}>{reason}</p>
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <Button
              variant={integration.status === 'connected' ? 'outline' : 'default'}
              size="sm"
              aria-label={verify.isPending ? `Verifying ${integration.name}…` : `Verify ${integration.name}`}
              disabled={verify.isPending}
              onClick={() => verify.mutate()}
            >
              {verify.isPending ? <Loader2 className="animate-spin" /> : <ShieldCheck />}
              {verify.isPending ? 'Verifying…' : 'Verify'}
            </Button>
            <Button
              variant="outline"
              size="sm"
              aria-label={`Send a test message through ${integration.name}`}
              onClick={() => setDialog('test')}
            >
              <Send />
              Send test message
            </Button>
            {canSimulate ? (
              <Button asChild variant="outline" size="sm">
                <Link
                  to={`/operations?simulate=${encodeURIComponent(integration.id)}`}
                  aria-label={`Simulate a message to ${integration.name}`}
                >
                  <FlaskConical />
                  Simulate a message
                </Link>
              </Button>
            ) : null}
            {platform.webhook_setup === 'set_webhook' ? (
              <Button
                variant="outline"
                size="sm"
                aria-label={`Register the webhook of ${integration.name}`}
                aria-describedby={webhookBlocked ? webhookReasonId : undefined}
                title={webhookBlocked}
                disabled={webhook.isPending || Boolean(webhookBlocked)}
                onClick={() => webhook.mutate()}
              >
                {webhook.isPending ? <Loader2 className="animate-spin" /> : <Webhook />}
                Register webhook
              </Button>
            ) : null}
            <Button
              variant="outline"
              size="sm"
              aria-label={`Edit ${integration.name}`}
              onClick={() => setDialog('edit')}
            >
              <Pencil />
              Edit
            </Button>
            <Button
              variant="ghost"
              size="sm"
              className="text-muted-foreground hover:text-destructive"
              aria-label={`Disconnect ${integration.name}`}
              onClick={() => setDialog('disconnect')}
            >
              <Unplug />
              Disconnect
            </Button>
          </div>
        ) : null}
      </div>
      {canManage && platform.webhook_setup === 'set_webhook' && webhookBlocked ? (
        <p id={webhookReasonId} className="text-xs text-amber-700">
          {webhookBlocked}
        </p>
      ) : null}
      {webhook.data ? (
        <PlatformAnswerAlert
          answer={webhook.data}
          platformName={platform.name}
          okTitle="Webhook registered"
        />
      ) : null}
      {webhook.error ? <ErrorAlert error={webhook.error} /> : null}
      <WebhookSetupInfo
        integration={integration}
        setup={platform.webhook_setup}
        platformName={platform.name}
        canManage={canManage}
      />
      {canManage ? (
        <>
          <IntegrationDialog
            open={dialog === 'edit'}
            onOpenChange={closeDialog}
            platform={platform}
            integration={integration}
          />
          <TestMessageDialog
            open={dialog === 'test'}
            onOpenChange={closeDialog}
            integration={integration}
            platformName={platform.name}
          />
          <ConfirmDialog
            open={dialog === 'disconnect'}
            onOpenChange={(open) => {
              if (!open) {
                setDialog(null);
                disconnect.reset();
              }
            }}
            title={`Disconnect “${integration.name}”?`}
            description={
              deployments === 0
                ? `Switchboard deletes its credentials. No bot is deployed on it, so nothing stops.`
                : `${deployments} deployment${deployments === 1 ? '' : 's'} on it stop${deployments === 1 ? 's' : ''} and ${deployments === 1 ? 'is' : 'are'} removed: those bots no longer answer on ${platform.name}. Switchboard deletes its credentials.`
            }
            confirmLabel="Disconnect"
            destructive
            pending={disconnect.isPending}
            error={disconnect.error}
            onConfirm={() => disconnect.mutate()}
          />
        </>
      ) : null}
    </li>
  );
}
