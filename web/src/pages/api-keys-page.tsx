// /settings/api-keys: the organisation's API keys — create (secret shown once) and revoke.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState, ForbiddenState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { CreateKeyDialog } from '@/features/api-keys/create-key-dialog';
import { apiKeysKey, useApiKeys } from '@/features/api-keys/queries';
import { useCurrentSession } from '@/features/auth/session';
import { Action, usePermissions } from '@/features/permissions/queries';
import { RoleBadge } from '@/features/permissions/role-badge';
import { api, isApiError, type ApiKey } from '@/lib/api';
import { cn, formatDate, formatDateTime, formatRelative } from '@/lib/utils';

export function ApiKeysPage() {
  useDocumentTitle('API keys');
  const session = useCurrentSession();
  const orgId = session.organization.id;
  const keys = useApiKeys(orgId);
  const { can, role } = usePermissions();
  const queryClient = useQueryClient();
  const [creating, setCreating] = React.useState(false);
  const [revoking, setRevoking] = React.useState<ApiKey | null>(null);
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api.apiKeys.revoke(orgId, key.id),
    meta: { inlineError: true },
    onSuccess: async (_, key) => {
      await queryClient.invalidateQueries({ queryKey: apiKeysKey(orgId) });
      setRevoking(null);
      toast.success(`“${key.name}” revoked`, { description: 'Requests with it are refused from now on.' });
    },
  });

  if (isApiError(keys.error, 403)) {
    return (
      <>
        <PageHeader title="API keys" />
        <ForbiddenState
          title="Your role cannot manage API keys"
          description={`Only owners and admins of ${session.organization.name} can see and create API keys. Ask one of them if you need a key.`}
        />
      </>
    );
  }

  const canCreate = can(Action.apiKeysManage);
  return (
    <>
      <PageHeader
        title="API keys"
        description={`Keys let scripts and servers use the Switchboard API as ${session.organization.name}.`}
        actions={
          canCreate ? (
            <Button onClick={() => setCreating(true)}>
              <Plus />
              Create API key
            </Button>
          ) : null
        }
      />
      {keys.isPending ? (
        <Card aria-busy="true" aria-label="Loading API keys" className="space-y-2 p-5">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-11 w-full" />
          <Skeleton className="h-11 w-full" />
        </Card>
      ) : keys.isError ? (
        <ErrorState title="Could not load the API keys" error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <Card>
          <EmptyState
            icon={KeyRound}
            title="No API keys yet"
            description="Create a key for each script or server that talks to the API, so you can revoke one without the others."
          >
            {canCreate ? (
              <Button size="sm" onClick={() => setCreating(true)}>
                <Plus />
                Create API key
              </Button>
            ) : null}
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <CardContent className="p-0">
            <Table
              bare
              stackOnPhone
              className="[&_td:first-child]:pl-5 [&_th:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:last-child]:pr-5"
            >
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Last used</TableHead>
                  <TableHead>Expires</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.data.map((key) => (
                  <KeyRow
                    key={key.id}
                    apiKey={key}
                    onRevoke={canCreate ? () => setRevoking(key) : undefined}
                  />
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      {canCreate ? (
        <CreateKeyDialog open={creating} onOpenChange={setCreating} orgId={orgId} actorRole={role} />
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRevoking(null);
            revoke.reset();
          }
        }}
        title="Revoke API key?"
        description={
          <>
            Anything using <span className="font-medium text-foreground">“{revoking?.name}”</span> (
            {revoking?.prefix}…) is refused from now on. This cannot be undone.
          </>
        }
        confirmLabel="Revoke key"
        destructive
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </>
  );
}

function isExpired(key: ApiKey, now = Date.now()) {
  return key.expires_at !== null && new Date(key.expires_at).getTime() <= now;
}

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke?: () => void }) {
  const revoked = apiKey.revoked_at !== null;
  const expired = !revoked && isExpired(apiKey);
  return (
    <TableRow className={cn((revoked || expired) && 'text-muted-foreground')}>
      <TableCell>
        <p
          className={cn('font-medium', (revoked || expired) && 'line-through decoration-muted-foreground/60')}
        >
          {apiKey.name}
        </p>
        <p className="text-xs text-muted-foreground">by {apiKey.created_by.name}</p>
      </TableCell>
      <TableCell>
        <RoleBadge role={apiKey.role} />
      </TableCell>
      <TableCell>
        <code className="whitespace-nowrap rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
          {apiKey.prefix}…
        </code>
      </TableCell>
      <TableCell stackLabel="Created" className="whitespace-nowrap">
        <span title={formatDateTime(apiKey.created_at)}>{formatDate(apiKey.created_at)}</span>
      </TableCell>
      <TableCell stackLabel="Last used" className="whitespace-nowrap">
        {apiKey.last_used_at ? (
          <span title={formatDateTime(apiKey.last_used_at)}>{formatRelative(apiKey.last_used_at)}</span>
        ) : (
          <span className="text-muted-foreground">Never</span>
        )}
      </TableCell>
      <TableCell stackLabel="Expires" className="whitespace-nowrap">
        {revoked ? (
          <Badge variant="red" title={formatDateTime(apiKey.revoked_at!)}>
            Revoked
          </Badge>
        ) : expired ? (
          <Badge variant="amber" title={formatDateTime(apiKey.expires_at!)}>
            Expired
          </Badge>
        ) : apiKey.expires_at ? (
          <span title={formatDateTime(apiKey.expires_at)}>{formatDate(apiKey.expires_at)}</span>
        ) : (
          <span className="text-muted-foreground">Never</span>
        )}
      </TableCell>
      <TableCell className="text-right">
        {onRevoke && !revoked ? (
          <Button
            variant="ghost"
            size="sm"
            className="text-muted-foreground hover:text-destructive"
            aria-label={`Revoke ${apiKey.name}`}
            onClick={onRevoke}
          >
            Revoke
          </Button>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
