// The "AI" card of the organisation settings: which OpenRouter key answers for the organisation's
// bots and how that is going, its own key (set, replaced or removed by owners and admins; never
// shown), and the models its bots may use. Everyone else sees the same read-only.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Info, Loader2, Sparkles, Trash2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { SaveFailure } from '@/components/save-failure';
import { ErrorState } from '@/components/states';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeProps } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { AllowedModelsEditor } from '@/features/ai/allowed-models-editor';
import { aiApi, type AiHealthState, type AiKeyInUse, type OrgAiSettings } from '@/features/ai/api';
import { adoptOrgAiSettings, useOrgAiSettings } from '@/features/ai/queries';
import { applyServerFieldErrors, serverFieldsShown, toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';
import { formatDateTime } from '@/lib/utils';

const USING: Record<AiKeyInUse, { label: string; variant: BadgeProps['variant']; detail: string }> = {
  organization: {
    label: 'Own key',
    variant: 'green',
    detail: 'AI replies use this organization’s own OpenRouter key.',
  },
  installation: {
    label: 'Shared key',
    variant: 'blue',
    detail: 'AI replies use the shared OpenRouter key of this Switchboard installation.',
  },
  none: {
    label: 'No key',
    variant: 'secondary',
    detail: 'No OpenRouter key: replies come from templates and the fallback message only.',
  },
};

const HEALTH: Record<AiHealthState, { label: string; variant: BadgeProps['variant'] }> = {
  ok: { label: 'Working', variant: 'green' },
  down: { label: 'Down', variant: 'red' },
  needs_attention: { label: 'Needs attention', variant: 'amber' },
  off: { label: 'Off', variant: 'secondary' },
};

export function OrganizationAiCard({ organizationId }: { organizationId: string }) {
  const settings = useOrgAiSettings(organizationId);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Sparkles className="size-4 text-muted-foreground" /> AI
        </CardTitle>
        <CardDescription>
          {settings.data && !settings.data.can_manage
            ? 'Only owners and admins can change the AI settings.'
            : 'The OpenRouter key that answers for your bots, and the models they may use.'}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <div className="grid gap-3" aria-busy="true" aria-label="Loading the AI settings">
            <Skeleton className="h-5 w-2/3" />
            <Skeleton className="h-5 w-1/2" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : settings.isError ? (
          <ErrorState
            title="Could not load the AI settings"
            error={settings.error}
            onRetry={() => settings.refetch()}
          />
        ) : (
          <div className="grid gap-5">
            <KeyStatus settings={settings.data} />
            <OwnKey organizationId={organizationId} settings={settings.data} />
            <AllowedModelsEditor
              // A saved list starts the editor afresh.
              key={settings.data.allowed_models.join('\n')}
              organizationId={organizationId}
              settings={settings.data}
            />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function KeyStatus({ settings }: { settings: OrgAiSettings }) {
  const using = USING[settings.using];
  const health = HEALTH[settings.health.state];
  const degraded = settings.health.state === 'down' || settings.health.state === 'needs_attention';
  return (
    <div className="grid gap-3">
      <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="text-muted-foreground">Replies use</dt>
        <dd className="flex flex-wrap items-baseline gap-2">
          <Badge variant={using.variant}>{using.label}</Badge>
          <span>{using.detail}</span>
        </dd>
        <dt className="text-muted-foreground">Health</dt>
        <dd className="flex flex-wrap items-baseline gap-2">
          <Badge variant={health.variant}>{health.label}</Badge>
          {settings.health.reason ? <span>{settings.health.reason}</span> : null}
          {degraded && settings.health.since ? (
            <span className="text-muted-foreground">since {formatDateTime(settings.health.since)}</span>
          ) : null}
        </dd>
      </dl>
      {settings.installation_key === 'forbidden' && !settings.own_key ? (
        <Alert variant="warning">
          <Info />
          <span>
            AI replies need the organization’s own OpenRouter key: this installation does not share its key
            with organizations.
          </span>
        </Alert>
      ) : null}
    </div>
  );
}

const keySchema = z.object({ api_key: z.string().trim().min(1, 'Enter the OpenRouter API key.') });
type KeyValues = z.infer<typeof keySchema>;

function OwnKey({ organizationId, settings }: { organizationId: string; settings: OrgAiSettings }) {
  const queryClient = useQueryClient();
  const [confirmRemove, setConfirmRemove] = React.useState(false);
  const form = useForm<KeyValues>({ resolver: zodResolver(keySchema), defaultValues: { api_key: '' } });
  const save = useMutation({
    mutationFn: ({ api_key }: KeyValues) => aiApi.update(organizationId, { api_key }),
    meta: { inlineError: true },
    onSuccess: (updated) => {
      adoptOrgAiSettings(queryClient, organizationId, updated);
      form.reset({ api_key: '' });
      toast.success('OpenRouter key saved', { description: 'AI replies now use the organization’s key.' });
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, ['api_key']);
      toastSaveFailure('OpenRouter key not saved', error, placed);
    },
  });
  const remove = useMutation({
    mutationFn: () => aiApi.removeKey(organizationId),
    meta: { inlineError: true },
    onSuccess: (updated) => {
      setConfirmRemove(false);
      adoptOrgAiSettings(queryClient, organizationId, updated);
      toast.success('OpenRouter key removed');
    },
  });
  const error = form.formState.errors.api_key?.message;
  useUnsavedChangesGuard(settings.can_manage && form.formState.isDirty);
  const own = settings.own_key;

  return (
    <section aria-labelledby="ai-own-key" className="grid gap-3 border-t pt-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <h4 id="ai-own-key" className="text-sm font-medium">
            Organization’s OpenRouter key
          </h4>
          <p className="text-sm text-muted-foreground">
            {own
              ? `Set ${formatDateTime(own.set_at)} · verified ${formatDateTime(own.verified_at)}.`
              : settings.installation_key === 'available'
                ? 'Not set: the shared key answers for now.'
                : 'Not set.'}
          </p>
        </div>
        {own && settings.can_manage ? (
          <Button variant="outline" size="sm" onClick={() => setConfirmRemove(true)}>
            <Trash2 /> Remove key
          </Button>
        ) : null}
      </div>
      {settings.can_manage ? (
        <form
          noValidate
          className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
          onSubmit={form.handleSubmit((values) => {
            save.reset();
            save.mutate(values);
          })}
        >
          <Field
            id="ai-api-key"
            label={own ? 'Replace with a new key' : 'OpenRouter API key'}
            error={error}
            hint="Checked with OpenRouter before it is saved. It is never shown again."
          >
            <Input
              {...fieldControlProps('ai-api-key', error)}
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="sk-or-…"
              disabled={save.isPending}
              {...form.register('api_key')}
            />
          </Field>
          <Button type="submit" className="sm:mt-[1.375rem]" disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            {save.isPending ? 'Checking the key with OpenRouter…' : own ? 'Replace key' : 'Save key'}
          </Button>
          <SaveFailure
            error={save.error} paused={save.isPaused}
            fieldsShown={serverFieldsShown(save.error, ['api_key'])}
            className="sm:col-span-2 sm:justify-self-end"
          />
        </form>
      ) : null}
      {settings.can_manage ? (
        <ConfirmDialog
          open={confirmRemove}
          onOpenChange={(open) => {
            setConfirmRemove(open);
            if (!open) remove.reset();
          }}
          title="Remove the organization’s OpenRouter key?"
          description={
            settings.installation_key === 'available'
              ? 'AI replies will use the shared key of this installation instead.'
              : 'AI replies stop: bots answer from templates and the fallback message until a new key is set.'
          }
          confirmLabel="Remove key"
          destructive
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
        />
      ) : null}
    </section>
  );
}
