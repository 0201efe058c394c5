// /platforms: every messaging platform Switchboard supports (the server's list), what connecting each
// one needs, and how many of the organisation's accounts on it are connected.
import { ArrowRight } from 'lucide-react';
import { Link } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { PLATFORM_META } from '@/features/integrations/platform-meta';
import { useIntegrationPlatforms, useIntegrations } from '@/features/integrations/queries';
import { summarizeStatuses } from '@/features/integrations/status';
import type { Integration } from '@/lib/api';
import { cn } from '@/lib/utils';

export function PlatformsPage() {
  useDocumentTitle('Platforms');
  const platforms = useIntegrationPlatforms();
  const integrations = useIntegrations();
  const header = (
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
  );
  if (platforms.isPending) {
    return (
      <>
        {header}
        <div className="grid gap-4 md:grid-cols-2" aria-busy="true" aria-label="Loading platforms">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-40" />
          ))}
        </div>
      </>
    );
  }
  if (platforms.isError) {
    return (
      <>
        {header}
        <ErrorState
          title="Could not load the platforms"
          error={platforms.error}
          onRetry={() => void platforms.refetch()}
        />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="grid gap-4 md:grid-cols-2">
        {platforms.data.map((platform) => {
          const meta = PLATFORM_META[platform.platform] ?? PLATFORM_META.webchat;
          const label = PLATFORM_META[platform.platform] ? meta.label : platform.name;
          return (
            <Card key={platform.platform} aria-label={label} className="flex flex-col">
              <CardHeader className="flex-row items-start gap-3 space-y-0">
                <span className="flex size-9 shrink-0 items-center justify-center rounded-md border bg-muted/40">
                  <meta.icon className="size-4 text-muted-foreground" />
                </span>
                <div className="min-w-0 flex-1 space-y-1">
                  <CardTitle className="flex flex-wrap items-center gap-2">
                    {label}
                    <Badge variant="green">Available now</Badge>
                  </CardTitle>
                  <CardDescription>{meta.description}</CardDescription>
                </div>
              </CardHeader>
              <CardContent className="mt-auto space-y-3">
                {platform.fields.length > 0 ? (
                  <div>
                    <p className="mb-1.5 text-xs font-medium text-muted-foreground">You will need</p>
                    <ul className="flex flex-wrap gap-1.5">
                      {platform.fields.map((field) => (
                        <li key={field.name} className="rounded bg-muted px-1.5 py-0.5 text-xs">
                          {field.label}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                {platform.platform === 'webchat' ? (
                  <Button asChild size="sm" variant="outline">
                    <Link to="/bots">
                      Deploy a bot to web chat <ArrowRight />
                    </Link>
                  </Button>
                ) : (
                  <ConnectionStatus
                    query={integrations}
                    items={integrations.data?.filter((item) => item.platform === platform.platform)}
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
