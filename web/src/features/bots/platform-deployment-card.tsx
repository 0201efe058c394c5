// A deployment on a platform account: which account, its status on Integrations, pause/resume, delete.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowRight, Pause, Play, Trash2, TriangleAlert } from 'lucide-react';
import { Link } from 'react-router-dom';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { deploymentsKey } from '@/features/bots/queries';
import { platformMeta } from '@/features/integrations/platform-meta';
import { IntegrationStatusBadge } from '@/features/integrations/status';
import { api, type Deployment } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function PlatformDeploymentCard({
  deployment,
  canManage,
  onDelete,
}: {
  deployment: Deployment;
  canManage: boolean;
  onDelete: () => void;
}) {
  const queryClient = useQueryClient();
  const meta = platformMeta(deployment.channel);
  const name = deployment.integration_name ?? meta.label;
  const paused = deployment.status === 'paused';
  const status = deployment.integration_status;
  const toggle = useMutation({
    mutationFn: () => api.deployments.update(deployment.id, { status: paused ? 'active' : 'paused' }),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: deploymentsKey(deployment.bot_id) });
      toast.success(updated.status === 'paused' ? `Paused on “${name}”` : `Resumed on “${name}”`);
    },
  });

  return (
    <Card aria-label={`${meta.label}: ${name}`}>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1">
          <CardTitle className="flex flex-wrap items-center gap-2">
            <meta.icon className="size-4 text-muted-foreground" />
            {meta.label} · {name}
            {paused ? <Badge variant="amber">Paused</Badge> : <Badge variant="green">Active</Badge>}
            {status ? <IntegrationStatusBadge status={status} /> : null}
          </CardTitle>
          <CardDescription>
            Created{' '}
            <span title={formatDateTime(deployment.created_at)}>{formatRelative(deployment.created_at)}</span>
            {' · answers messages sent to this account'}
          </CardDescription>
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
              {paused ? <Play /> : <Pause />}
              {paused ? 'Resume' : 'Pause'}
            </Button>
            <Button
              variant="ghost"
              size="sm"
              className="text-muted-foreground hover:text-destructive"
              onClick={onDelete}
            >
              <Trash2 />
              Delete
            </Button>
          </div>
        ) : null}
      </CardHeader>
      {status && status !== 'connected' ? (
        <CardContent>
          <Alert variant="warning">
            <TriangleAlert />
            <span>
              “{name}” is not connected, so replies may not reach {meta.label}. Verify it on Integrations.{' '}
              <Link to="/integrations" className="inline-flex items-center gap-1 font-medium underline">
                Open Integrations <ArrowRight className="size-3" />
              </Link>
            </span>
          </Alert>
        </CardContent>
      ) : null}
    </Card>
  );
}
