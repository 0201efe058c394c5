// The bot's deployments: web chat (allowed origins, embed snippet) and platform accounts from
// Integrations; deploy, pause/resume and delete.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ExternalLink, Globe, Loader2, Pause, Pencil, Play, Rocket, Trash2 } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-field';
import { SaveFailure } from '@/components/save-failure';
import { ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { parseOrigins } from '@/features/bots/origins';
import { PlatformDeploymentCard } from '@/features/bots/platform-deployment-card';
import { PlatformDeployForm } from '@/features/bots/platform-deploy-form';
import { AppearanceEditor, IdentitySecret } from '@/features/bots/widget-appearance';
import { deploymentsKey, useDeployments } from '@/features/bots/queries';
import { api, isApiError, type Bot, type Deployment } from '@/lib/api';
import { toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function DeploymentsPanel({
  bot,
  canManage,
  canManageIdentity = false,
}: {
  bot: Bot;
  canManage: boolean;
  /** Owners and admins: the web chat's identity secret. */
  canManageIdentity?: boolean;
}) {
  const deployments = useDeployments(bot.id);
  const [deleting, setDeleting] = React.useState<Deployment | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['deployments'] });
  const remove = useMutation({
    mutationFn: (deployment: Deployment) => api.deployments.remove(deployment.id),
    meta: { inlineError: true },
    onSuccess: async (_, deployment) => {
      await refresh();
      setDeleting(null);
      if (deployment.integration_id) {
        toast.success(`Removed from “${deployment.integration_name ?? deployment.channel}”`, {
          description: `${bot.name} no longer answers there.`,
        });
      } else {
        toast.success('Web chat removed', { description: 'Pages embedding it show nothing from now on.' });
      }
    },
  });
  const deployedIds = React.useMemo(
    () => new Set((deployments.data ?? []).flatMap((item) => item.integration_id ?? [])),
    [deployments.data],
  );

  return (
    <div className="grid grid-cols-1 gap-4">
      {canManage ? (
        <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-2">
          <DeployForm bot={bot} />
          <PlatformDeployForm bot={bot} deployedIds={deployedIds} />
        </div>
      ) : null}
      {deployments.isPending ? (
        <Card aria-busy="true" aria-label="Loading deployments" className="space-y-2 p-5">
          <Skeleton className="h-16 w-full" />
        </Card>
      ) : deployments.isError ? (
        <ErrorState
          title="Could not load the deployments"
          error={deployments.error}
          onRetry={() => deployments.refetch()}
        />
      ) : deployments.data.length === 0 ? (
        <p className="rounded-lg border border-dashed px-6 py-8 text-center text-sm text-muted-foreground">
          {bot.name} is not deployed anywhere yet.
        </p>
      ) : (
        deployments.data.map((deployment) =>
          deployment.integration_id ? (
            <PlatformDeploymentCard
              key={deployment.id}
              deployment={deployment}
              canManage={canManage}
              onDelete={() => setDeleting(deployment)}
            />
          ) : (
            <DeploymentCard
              key={deployment.id}
              greeting={bot.greeting}
              canManageIdentity={canManageIdentity}
              deployment={deployment}
              canManage={canManage}
              onDelete={() => setDeleting(deployment)}
            />
          ),
        )
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) {
            setDeleting(null);
            remove.reset();
          }
        }}
        title={
          deleting?.integration_id
            ? `Remove ${bot.name} from “${deleting.integration_name ?? deleting.channel}”?`
            : 'Remove this web chat?'
        }
        description={
          deleting?.integration_id
            ? 'The bot stops answering messages to this account; the account stays connected on Integrations. Pause it instead to bring it back later.'
            : 'Its key stops working: the hosted page and every embedded bubble go blank. Pause it instead to bring it back later.'
        }
        confirmLabel={deleting?.integration_id ? 'Remove deployment' : 'Remove web chat'}
        destructive
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </div>
  );
}

export const HOSTED_PAGE_HINT =
  'Anyone with the link can chat on a page of its own. Off: the chat shows only inside the allowed sites above.';

/** The hosted chat page switch with its helper text, for the deploy form and each web chat. */
function HostedPageSwitch({
  id,
  checked,
  disabled,
  pending,
  onCheckedChange,
}: {
  id: string;
  checked: boolean;
  disabled?: boolean;
  pending?: boolean;
  onCheckedChange: (checked: boolean) => void;
}) {
  return (
    <div className="flex items-start justify-between gap-4">
      <div className="grid gap-1">
        <label htmlFor={id} className="text-sm font-medium">
          Hosted chat page
        </label>
        <p id={`${id}-hint`} className="text-[0.8rem] text-muted-foreground">
          {HOSTED_PAGE_HINT}
        </p>
      </div>
      <div className="flex items-center gap-2">
        {pending ? <Loader2 className="size-4 animate-spin text-muted-foreground" /> : null}
        <Switch
          id={id}
          checked={checked}
          disabled={disabled}
          aria-describedby={`${id}-hint`}
          onCheckedChange={onCheckedChange}
        />
      </div>
    </div>
  );
}

function DeployForm({ bot }: { bot: Bot }) {
  const [text, setText] = React.useState('');
  const [hostedPage, setHostedPage] = React.useState(true);
  const [error, setError] = React.useState<string | null>(null);
  const queryClient = useQueryClient();
  const deploy = useMutation({
    mutationFn: (origins: string[]) =>
      api.deployments.create({
        bot_id: bot.id,
        channel: 'webchat',
        allowed_origins: origins,
        hosted_page_enabled: hostedPage,
      }),
    meta: { inlineError: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['deployments'] });
      setText('');
      setHostedPage(true);
      toast.success('Deployed to web chat', {
        description: 'Copy the snippet into your site, or share the link.',
      });
    },
    onError: (failure) => {
      const fieldError = isApiError(failure) ? failure.fields.allowed_origins : undefined;
      if (fieldError) setError(fieldError);
      toastSaveFailure('Not deployed', failure, Boolean(fieldError));
    },
  });
  const serverFieldError = isApiError(deploy.error) && Boolean(deploy.error.fields.allowed_origins);
  // Origins typed but not deployed yet.
  useUnsavedChangesGuard(text.trim() !== '');

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Globe className="size-4 text-muted-foreground" /> Deploy to web chat
        </CardTitle>
        <CardDescription>
          A chat bubble for your website and a hosted chat page. Only the sites you list may embed it in a
          browser.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = parseOrigins(text);
            if ('error' in parsed) {
              setError(parsed.error);
              return;
            }
            setError(null);
            deploy.mutate(parsed.origins);
          }}
        >
          <Field
            id="deploy-origins"
            label="Allowed origins"
            error={error ?? undefined}
            hint="One per line, e.g. https://shop.example.com. Empty: only the hosted chat page."
          >
            <Textarea
              {...fieldControlProps('deploy-origins', error ?? undefined)}
              rows={3}
              className="font-mono text-xs"
              placeholder="https://shop.example.com"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                if (error) setError(null);
              }}
            />
          </Field>
          <HostedPageSwitch id="deploy-hosted-page" checked={hostedPage} onCheckedChange={setHostedPage} />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={deploy.isPending}>
              {deploy.isPending ? <Loader2 className="animate-spin" /> : <Rocket />}
              Deploy to web chat
            </Button>
            <SaveFailure error={deploy.error} paused={deploy.isPaused} fieldsShown={serverFieldError} className="flex-1" />
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function DeploymentCard({
  deployment,
  canManage,
  onDelete,
  greeting,
  canManageIdentity,
}: {
  canManageIdentity: boolean;
  deployment: Deployment;
  canManage: boolean;
  onDelete: () => void;
  greeting: string;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = React.useState(false);
  const paused = deployment.status === 'paused';
  const toggle = useMutation({
    mutationFn: () => api.deployments.update(deployment.id, { status: paused ? 'active' : 'paused' }),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: deploymentsKey(deployment.bot_id) });
      toast.success(updated.status === 'paused' ? 'Web chat paused' : 'Web chat resumed');
    },
  });
  const hostedPage = useMutation({
    mutationFn: (enabled: boolean) => api.deployments.update(deployment.id, { hosted_page_enabled: enabled }),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: deploymentsKey(deployment.bot_id) });
      toast.success(
        updated.hosted_page_enabled ? 'Hosted chat page turned on' : 'Hosted chat page turned off',
      );
    },
  });
  const hosted = deployment.hosted_page_enabled;
  return (
    <Card aria-label={`Web chat ${deployment.key}`}>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1">
          <CardTitle className="flex items-center gap-2">
            Web chat
            {paused ? <Badge variant="amber">Paused</Badge> : <Badge variant="green">Active</Badge>}
          </CardTitle>
          <CardDescription>
            Created{' '}
            <span title={formatDateTime(deployment.created_at)}>{formatRelative(deployment.created_at)}</span>
            {' · '}
            {deployment.allowed_origins.length > 0
              ? `embeddable on ${deployment.allowed_origins.join(', ')}${hosted ? '' : ' only'}`
              : hosted
                ? 'hosted page only'
                : 'not shown anywhere: add an allowed origin or turn the hosted page on'}
          </CardDescription>
        </div>
        <div className="flex flex-wrap gap-2">
          {hosted ? (
            <Button asChild variant="outline" size="sm">
              <a href={deployment.hosted_url} target="_blank" rel="noreferrer">
                <ExternalLink />
                Open hosted chat
              </a>
            </Button>
          ) : null}
          {canManage ? (
            <>
              <Button variant="outline" size="sm" onClick={() => setEditing(true)} disabled={editing}>
                <Pencil />
                Edit origins
              </Button>
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
            </>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        {editing ? <OriginsEditor deployment={deployment} onDone={() => setEditing(false)} /> : null}
        {canManage ? (
          <HostedPageSwitch
            id={`hosted-page-${deployment.id}`}
            checked={hosted}
            disabled={hostedPage.isPending}
            pending={hostedPage.isPending}
            onCheckedChange={(enabled) => hostedPage.mutate(enabled)}
          />
        ) : null}
        {canManage ? <AppearanceEditor deployment={deployment} fallbackGreeting={greeting} /> : null}
        {canManageIdentity ? <IdentitySecret deployment={deployment} /> : null}
        <div className="grid gap-1.5">
          <p className="text-xs font-medium text-muted-foreground">
            Embed snippet: paste before &lt;/body&gt;
          </p>
          <CopyField value={deployment.embed_snippet} label="Embed snippet" />
        </div>
        {hosted ? (
          <div className="grid gap-1.5">
            <p className="text-xs font-medium text-muted-foreground">Hosted chat link</p>
            <CopyField value={deployment.hosted_url} label="Hosted chat link" />
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

function OriginsEditor({ deployment, onDone }: { deployment: Deployment; onDone: () => void }) {
  const saved = deployment.allowed_origins.join('\n');
  const [text, setText] = React.useState(saved);
  const [error, setError] = React.useState<string | null>(null);
  const { confirmDiscard } = useUnsavedChangesGuard(text.trim() !== saved.trim());
  const queryClient = useQueryClient();
  const id = `origins-${deployment.id}`;
  const save = useMutation({
    mutationFn: (origins: string[]) => api.deployments.update(deployment.id, { allowed_origins: origins }),
    meta: { inlineError: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: deploymentsKey(deployment.bot_id) });
      toast.success('Allowed origins saved');
      onDone();
    },
    onError: (failure) => {
      // A refused origin goes under the field; anything else beside Save.
      const fieldError = isApiError(failure) ? failure.fields.allowed_origins : undefined;
      if (fieldError) setError(fieldError);
      toastSaveFailure('Allowed origins not saved', failure, Boolean(fieldError));
    },
  });
  const serverFieldError = isApiError(save.error) && Boolean(save.error.fields.allowed_origins);
  return (
    <form
      noValidate
      className="grid gap-3 rounded-md border bg-muted/20 p-3"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseOrigins(text);
        if ('error' in parsed) setError(parsed.error);
        else save.mutate(parsed.origins);
      }}
    >
      <Field id={id} label="Allowed origins" error={error ?? undefined} hint="One per line.">
        <Textarea
          {...fieldControlProps(id, error ?? undefined)}
          rows={3}
          className="font-mono text-xs"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (error) setError(null);
          }}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          Save origins
        </Button>
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={() => confirmDiscard(onDone)}
          disabled={save.isPending}
        >
          Cancel
        </Button>
        <SaveFailure error={save.error} paused={save.isPaused} fieldsShown={serverFieldError} className="flex-1" />
      </div>
    </form>
  );
}
