// One platform on /integrations: its logo and what it is, what connecting needs, what verifying asks it,
// its connected accounts, and Connect.
import * as React from 'react';
import { ArrowRight, Plus } from 'lucide-react';
import { Link } from 'react-router-dom';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { IntegrationDialog } from '@/features/integrations/integration-dialog';
import { IntegrationRow } from '@/features/integrations/integration-row';
import { platformMeta } from '@/features/integrations/platform-meta';
import { summarizeStatuses } from '@/features/integrations/status';
import type { Integration, IntegrationPlatform } from '@/lib/api';

export function PlatformCard({
  platform,
  integrations,
  canManage,
}: {
  platform: IntegrationPlatform;
  integrations: Integration[];
  canManage: boolean;
}) {
  const [connecting, setConnecting] = React.useState(false);
  const meta = platformMeta(platform.platform, platform.name);
  // Web chat has no account to connect: each deployment gets its own key.
  const builtIn = platform.fields.length === 0;

  return (
    <Card aria-label={platform.name}>
      <CardHeader className="flex-row flex-wrap items-start gap-3 space-y-0">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-md border bg-muted/40">
          <meta.icon className="size-6 text-primary" />
        </span>
        <div className="min-w-0 flex-1 space-y-1">
          <CardTitle>{platform.name}</CardTitle>
          <CardDescription>
            {builtIn ? 'Built in: nothing to connect.' : summarizeStatuses(integrations)}
            {!builtIn && platform.verify_call && platform.verify_call !== 'none' ? (
              <>
                {' · '}Verify calls <code className="font-mono text-xs">{platform.verify_call}</code>
              </>
            ) : null}
          </CardDescription>
          {meta.description && !builtIn ? <p className="text-sm text-muted-foreground">{meta.description}</p> : null}
          {platform.fields.length > 0 ? (
            <div className="pt-1">
              <p className="mb-1 text-xs font-medium text-muted-foreground">You will need</p>
              <ul className="flex flex-wrap gap-1.5" aria-label={`What connecting ${platform.name} needs`}>
                {platform.fields.map((field) => (
                  <li key={field.name} className="rounded bg-muted px-1.5 py-0.5 text-xs">
                    {field.label}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        {canManage && !builtIn ? (
          <Button size="sm" aria-label={`Connect ${platform.name}`} onClick={() => setConnecting(true)}>
            <Plus />
            Connect
          </Button>
        ) : null}
      </CardHeader>
      <CardContent>
        {builtIn ? (
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
            <p>{meta.description || 'Deploy a bot to it from the bot’s Deployments tab.'}</p>
            <Button asChild size="sm" variant="outline">
              <Link to="/bots">
                Deploy a bot <ArrowRight />
              </Link>
            </Button>
          </div>
        ) : integrations.length === 0 ? (
          <p className="rounded-md border border-dashed px-4 py-5 text-center text-sm text-muted-foreground">
            No {platform.name} account connected yet.
            {canManage ? null : ' Owners and admins can connect one.'}
          </p>
        ) : (
          <ul className="grid gap-3">
            {integrations.map((integration) => (
              <IntegrationRow
                key={integration.id}
                integration={integration}
                platform={platform}
                canManage={canManage}
              />
            ))}
          </ul>
        )}
      </CardContent>
      {canManage && !builtIn ? (
        <IntegrationDialog open={connecting} onOpenChange={setConnecting} platform={platform} />
      ) : null}
    </Card>
  );
}
