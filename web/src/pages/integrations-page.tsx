// /integrations: the organisation's platform accounts, one card per platform — connect, verify,
// test, register webhooks, edit and disconnect (owners and admins); statuses for everyone.
import { Plug } from 'lucide-react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState, ForbiddenState } from '@/components/states';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { PlatformCard } from '@/features/integrations/platform-card';
import { useIntegrationPlatforms, useIntegrations } from '@/features/integrations/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { isApiError } from '@/lib/api';

export function IntegrationsPage() {
  useDocumentTitle('Integrations');
  const platforms = useIntegrationPlatforms();
  const integrations = useIntegrations();
  const { can } = usePermissions();
  const canManage = can(Action.integrationsManage);

  const header = (
    <PageHeader
      title="Integrations"
      description={
        canManage
          ? 'Connect your accounts on messaging platforms, verify them, then deploy bots to them.'
          : 'The messaging accounts your organization has connected. Owners and admins manage them.'
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
