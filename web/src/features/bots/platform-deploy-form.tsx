// "Deploy to a messaging platform": pick one of the organisation's accounts; only a connected one can
// be deployed, the others say to verify them first.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowRight, Cable, Loader2, Rocket, TriangleAlert } from 'lucide-react';
import { Link } from 'react-router-dom';
import { toast } from 'sonner';
import { SaveFailure } from '@/components/save-failure';
import { ErrorState } from '@/components/states';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { platformMeta } from '@/features/integrations/platform-meta';
import { useIntegrations } from '@/features/integrations/queries';
import { IntegrationStatusBadge, STATUS_EXPLANATIONS } from '@/features/integrations/status';
import { api, isApiError, type Bot, type Integration } from '@/lib/api';
import { toastSaveFailure } from '@/lib/forms';
import { cn } from '@/lib/utils';

export function PlatformDeployForm({ bot, deployedIds }: { bot: Bot; deployedIds: ReadonlySet<string> }) {
  const integrations = useIntegrations();
  const [selectedId, setSelectedId] = React.useState<string | null>(null);
  const queryClient = useQueryClient();
  const deploy = useMutation({
    mutationFn: (integration: Integration) =>
      api.deployments.create({ bot_id: bot.id, integration_id: integration.id }),
    meta: { inlineError: true },
    onSuccess: async (_, integration) => {
      await queryClient.invalidateQueries({ queryKey: ['deployments'] });
      await queryClient.invalidateQueries({ queryKey: ['integrations'] });
      setSelectedId(null);
      toast.success(`Deployed to “${integration.name}”`, {
        description: `${bot.name} answers messages on ${platformMeta(integration.platform).label} from now on.`,
      });
    },
    onError: (failure) =>
      toastSaveFailure(
        'Not deployed',
        failure,
        isApiError(failure) && Boolean(failure.fields.integration_id),
      ),
  });
  const selected = integrations.data?.find((item) => item.id === selectedId) ?? null;
  const blocked = selected !== null && selected.status !== 'connected';
  const serverFieldError = isApiError(deploy.error) ? deploy.error.fields.integration_id : undefined;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Cable className="size-4 text-muted-foreground" /> Deploy to a messaging platform
        </CardTitle>
        <CardDescription>
          Answer on an account your organization connected on Integrations. Only connected accounts can be
          used.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {integrations.isPending ? (
          <div aria-busy="true" aria-label="Loading platform accounts" className="space-y-2">
            <Skeleton className="h-12 w-full" />
          </div>
        ) : integrations.isError ? (
          <ErrorState
            title="Could not load the platform accounts"
            error={integrations.error}
            onRetry={() => integrations.refetch()}
          />
        ) : integrations.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No platform account is connected yet.{' '}
            <Link to="/integrations" className="font-medium text-foreground hover:underline">
              Connect one on Integrations
            </Link>
            .
          </p>
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              if (selected && !blocked) deploy.mutate(selected);
            }}
          >
            <fieldset className="grid min-w-0 gap-2">
              <legend className="mb-2 text-sm font-medium">Platform account</legend>
              {integrations.data.map((integration) => (
                <AccountOption
                  key={integration.id}
                  integration={integration}
                  checked={integration.id === selectedId}
                  deployed={deployedIds.has(integration.id)}
                  onSelect={() => {
                    setSelectedId(integration.id);
                    deploy.reset();
                  }}
                />
              ))}
            </fieldset>
            {blocked ? <VerifyFirst integration={selected} /> : null}
            {serverFieldError ? (
              <p role="alert" className="text-[0.8rem] font-medium text-destructive">
                {serverFieldError}
              </p>
            ) : null}
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" disabled={!selected || blocked || deploy.isPending}>
                {deploy.isPending ? <Loader2 className="animate-spin" /> : <Rocket />}
                Deploy to platform
              </Button>
              {serverFieldError ? null : <SaveFailure error={deploy.error} paused={deploy.isPaused} className="flex-1" />}
            </div>
          </form>
        )}
      </CardContent>
    </Card>
  );
}

function AccountOption({
  integration,
  checked,
  deployed,
  onSelect,
}: {
  integration: Integration;
  checked: boolean;
  deployed: boolean;
  onSelect: () => void;
}) {
  const meta = platformMeta(integration.platform);
  return (
    <label
      className={cn(
        'flex min-w-0 cursor-pointer items-center gap-3 rounded-md border px-3 py-2.5 text-sm transition-colors hover:bg-muted/40',
        checked && 'border-primary/60 bg-muted/40',
        deployed && 'cursor-not-allowed opacity-60 hover:bg-transparent',
      )}
    >
      <input
        type="radio"
        name="deploy-integration"
        value={integration.id}
        checked={checked}
        disabled={deployed}
        onChange={onSelect}
        className="size-4 accent-primary"
      />
      <meta.icon className="size-4 shrink-0 text-muted-foreground" />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">{integration.name}</span>
        <span className="block truncate text-xs text-muted-foreground">
          {meta.label}
          {integration.account ? ` · ${integration.account}` : ''}
          {deployed ? ' · already deployed' : ''}
        </span>
      </span>
      <IntegrationStatusBadge status={integration.status} />
    </label>
  );
}

function VerifyFirst({ integration }: { integration: Integration }) {
  return (
    <Alert variant="warning">
      <TriangleAlert />
      <span>
        <span className="font-medium">Verify “{integration.name}” on Integrations first.</span>{' '}
        {integration.status_reason || STATUS_EXPLANATIONS[integration.status]} Only connected accounts can be
        deployed.{' '}
        <Link to="/integrations" className="inline-flex items-center gap-1 font-medium underline">
          Open Integrations <ArrowRight className="size-3" />
        </Link>
      </span>
    </Alert>
  );
}
