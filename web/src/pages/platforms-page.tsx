// /platforms: every messaging platform Switchboard supports, what connecting each one needs, and how
// many of the organisation's accounts on it are connected.
import { ArrowRight } from 'lucide-react';
import { Link } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { PLATFORM_META } from '@/features/integrations/platform-meta';
import { useIntegrations } from '@/features/integrations/queries';
import { summarizeStatuses } from '@/features/integrations/status';
import type { Integration } from '@/lib/api';
import { cn } from '@/lib/utils';

interface Platform {
  id: string;
  /** Credential field names the integration asks for (docs/api.md). */
  credentials: string[];
}

export const PLATFORMS: Platform[] = [
  { id: 'webchat', credentials: [] },
  { id: 'whatsapp', credentials: ['access_token', 'phone_number_id', 'app_secret', 'verify_token'] },
  { id: 'telegram', credentials: ['bot_token'] },
  { id: 'slack', credentials: ['bot_token', 'signing_secret'] },
  { id: 'messenger', credentials: ['page_access_token', 'page_id', 'app_secret', 'verify_token'] },
  { id: 'discord', credentials: ['application_id', 'public_key', 'bot_token'] },
  { id: 'twilio', credentials: ['account_sid', 'auth_token', 'from_number'] },
];

export function PlatformsPage() {
  useDocumentTitle('Platforms');
  const integrations = useIntegrations();
  return (
    <>
      <PageHeader
        title="Platforms"
        description="Where your bots can talk to customers, and what each platform needs from you."
        actions={
          <Button asChild variant="outline">
            <Link to="/integrations">
              Integrations <ArrowRight />
            </Link>
          </Button>
        }
      />
      <div className="grid gap-4 md:grid-cols-2">
        {PLATFORMS.map((platform) => {
          const meta = PLATFORM_META[platform.id];
          return (
            <Card key={platform.id} aria-label={meta.label} className="flex flex-col">
              <CardHeader className="flex-row items-start gap-3 space-y-0">
                <span className="flex size-9 shrink-0 items-center justify-center rounded-md border bg-muted/40">
                  <meta.icon className="size-4 text-muted-foreground" />
                </span>
                <div className="min-w-0 flex-1 space-y-1">
                  <CardTitle className="flex flex-wrap items-center gap-2">
                    {meta.label}
                    <Badge variant="green">Available now</Badge>
                  </CardTitle>
                  <CardDescription>{meta.description}</CardDescription>
                </div>
              </CardHeader>
              <CardContent className="mt-auto space-y-3">
                {platform.credentials.length > 0 ? (
                  <div>
                    <p className="mb-1.5 text-xs font-medium text-muted-foreground">You will need</p>
                    <ul className="flex flex-wrap gap-1.5">
                      {platform.credentials.map((field) => (
                        <li key={field}>
                          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{field}</code>
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                {platform.id === 'webchat' ? (
                  <Button asChild size="sm" variant="outline">
                    <Link to="/bots">
                      Deploy a bot to web chat <ArrowRight />
                    </Link>
                  </Button>
                ) : (
                  <ConnectionStatus
                    query={integrations}
                    items={integrations.data?.filter((item) => item.platform === platform.id)}
                  />
                )}
              </CardContent>
            </Card>
          );
        })}
      </div>
    </>
  );
}

function ConnectionStatus({
  query,
  items,
}: {
  query: { isPending: boolean; isError: boolean };
  items: Integration[] | undefined;
}) {
  if (query.isPending) return <Skeleton className="h-8 w-48" />;
  const summary = query.isError || !items ? 'Connection status unavailable' : summarizeStatuses(items);
  const has = (status: Integration['status']) => items?.some((item) => item.status === status) ?? false;
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <p
        data-testid="connection-status"
        className={cn(
          'text-sm font-medium text-muted-foreground',
          has('connected') && 'text-emerald-700',
          has('needs_attention') && 'text-amber-700',
          has('invalid') && 'text-red-700',
        )}
      >
        {summary}
      </p>
      <Button asChild size="sm" variant="outline">
        <Link to="/integrations">
          {items && items.length > 0 ? 'Manage in Integrations' : 'Connect in Integrations'} <ArrowRight />
        </Link>
      </Button>
    </div>
  );
}
