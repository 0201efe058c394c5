// /integrations: every platform Switchboard supports, one card each with what connecting it needs and
// the organisation's accounts on it — connect, verify, test, register webhooks, edit and disconnect
// (owners and admins); statuses for everyone; a warning when platforms cannot reach this server.
// (/platforms redirects here.)
import { Plug } from 'lucide-react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState, ForbiddenState } from '@/components/states';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { PlatformCard } from '@/features/integrations/platform-card';
import { useIntegrationPlatforms, useIntegrations, usePublicBaseUrl } from '@/features/integrations/queries';
import { PublicUrlWarning } from '@/features/integrations/public-url-warning';
import { Action, usePermissions } from '@/features/permissions/queries';
import { isApiError } from '@/lib/api';

export function IntegrationsPage() {
  useDocumentTitle('Integrations');
  const platforms = useIntegrationPlatforms();
  const integrations = useIntegrations();
  const publicBaseUrl = usePublicBaseUrl();
  const { can } = usePermissions();
  const canManage = can(Action.integrationsManage);

  const header = (
    <PageHeader
      title="Integrations"
      description={
        canManage
          ? 'Every platform your bots can talk on: connect your accounts, verify them, then deploy bots to them.'
          : 'Every platform your bots can talk on and the accounts your organization has connected. Owners and admins manage them.'
      }
    />
  );

  if (isApiError(integrations.error, 403) || isApiError(platforms.error, 403)) {
    return (
      <>
        {header}
        <ForbiddenState
          title="Your role cannot see integrations"
          description="Ask an owner or admin of this organization for access."
        />
      </>
    );
  }

  return (
    <>
      {header}
      {platforms.isPending || integrations.isPending ? (
        <div aria-busy="true" aria-label="Loading integrations" className="grid gap-4">
          {[0, 1, 2].map((index) => (
            <Card key={index} className="space-y-3 p-5">
              <Skeleton className="h-5 w-40" />
              <Skeleton className="h-16 w-full" />
            </Card>
          ))}
        </div>
      ) : platforms.isError || integrations.isError ? (
        <ErrorState
          title="Could not load the integrations"
          error={platforms.error ?? integrations.error}
          onRetry={() => {
            if (platforms.isError) platforms.refetch();
            if (integrations.isError) integrations.refetch();
          }}
        />
      ) : platforms.data.length === 0 ? (
        <Card>
          <EmptyState
            icon={Plug}
            title="No platforms available"
            description="This server offers no messaging platforms yet."
          />
        </Card>
      ) : (
        <div className="grid gap-4">
          <PublicUrlWarning status={publicBaseUrl.data} />
          {platforms.data.map((platform) => (
            <PlatformCard
              key={platform.platform}
              platform={platform}
              integrations={integrations.data.filter((item) => item.platform === platform.platform)}
              canManage={canManage}
            />
          ))}
        </div>
      )}
    </>
  );
}
