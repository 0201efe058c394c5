// An account's webhook URL with a Copy button and one sentence on where it goes on the platform.
import { CopyField } from '@/components/copy-field';
import type { Integration, WebhookSetup } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

/** Where the URL is pasted, per the platform's way of setting up webhooks. */
export function webhookInstructions(
  setup: WebhookSetup,
  platformName: string,
  canManage = true,
): string | null {
  switch (setup) {
    case 'set_webhook':
      return canManage
        ? `Switchboard registers this URL with ${platformName} for you: press Register webhook after verifying.`
        : `Switchboard registers this URL with ${platformName} for you.`;
    case 'verify_token':
      return 'In the Meta App Dashboard, paste it as the Callback URL together with the verify token you saved here, then subscribe to the messages field.';
    case 'signing_secret':
      return 'In your Slack app’s settings, open Event Subscriptions, turn events on and paste it as the Request URL.';
    case 'public_key':
      return 'In the Discord Developer Portal, paste it as your application’s Interactions Endpoint URL.';
    case 'console_url':
      return 'In the Twilio Console, open your phone number and paste it under Messaging, “A message comes in” (Webhook, HTTP POST).';
    default:
      return null;
  }
}

export function WebhookSetupInfo({
  integration,
  setup,
  platformName,
  canManage,
}: {
  integration: Integration;
  setup: WebhookSetup;
  platformName: string;
  canManage: boolean;
}) {
  const instructions = webhookInstructions(setup, platformName, canManage);
  if (!instructions || !integration.webhook_url) return null;
  return (
    <div className="grid gap-1.5">
      <p className="text-xs font-medium text-muted-foreground">Webhook URL</p>
      <CopyField value={integration.webhook_url} label={`Webhook URL of ${integration.name}`} />
      <p className="text-xs text-muted-foreground">
        {instructions}
        {setup === 'set_webhook' ? (
          integration.webhook_registered_at ? (
            <>
              {' '}
              Registered{' '}
              <span title={formatDateTime(integration.webhook_registered_at)}>
                {formatRelative(integration.webhook_registered_at)}
              </span>
              .
            </>
          ) : (
            ' Not registered yet.'
          )
        ) : null}
      </p>
    </div>
  );
}
