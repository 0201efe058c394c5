// /settings/organization: the organisation's name (owners and admins rename it), its id and age,
// its AI settings, who must use two-factor sign-in, and deleting it (owners, after typing its name).
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Building2, Loader2, Trash2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-field';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { SaveFailure } from '@/components/save-failure';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { DescriptionList } from '@/components/ui/description-list';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { OrganizationAiCard } from '@/features/ai/organization-ai-card';
import { useCurrentSession } from '@/features/auth/session';
import { organizationNameSchema } from '@/features/orgs/create-organization-dialog';
import { forgetOrganization, orgKey, orgsKey, useOrganization } from '@/features/orgs/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { RoleBadge } from '@/features/permissions/role-badge';
import { TimeZoneCard } from '@/features/orgs/time-zone-card';
import { OrganizationSecurityCard } from '@/features/two-factor/organization-security-card';
import { api, type OrganizationWithRole, type Session } from '@/lib/api';
import { applyServerFieldErrors, serverFieldsShown, toastSaveFailure } from '@/lib/forms';
import { sessionKey } from '@/lib/query-client';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';
import { formatDate, formatDateTime } from '@/lib/utils';

export function OrganizationSettingsPage() {
  useDocumentTitle('Organization');
  const session = useCurrentSession();
  const organization = useOrganization(session.organization.id);
  const { can } = usePermissions();

  return (
    <>
      <PageHeader title="Organization" description="The workspace your team, bots and billing belong to." />
      {organization.isPending ? (
        <div className="space-y-6" aria-busy="true" aria-label="Loading the organization">
          <Skeleton className="h-56 w-full" />
          <Skeleton className="h-32 w-full" />
        </div>
      ) : organization.isError ? (
        <ErrorState
          title="Could not load the organization"
          error={organization.error}
          onRetry={() => organization.refetch()}
        />
      ) : (
        <div className="space-y-6">
          <GeneralCard organization={organization.data} canRename={can(Action.orgUpdate)} />
          <TimeZoneCard organization={organization.data} canChange={can(Action.orgUpdate)} />
          <OrganizationAiCard organizationId={organization.data.id} />
          <OrganizationSecurityCard organization={organization.data} canChange={can(Action.orgSecurity)} />
          {can(Action.orgDelete) ? <DeleteCard organization={organization.data} /> : null}
        </div>
      )}
    </>
  );
}

function GeneralCard({
  organization,
  canRename,
}: {
  organization: OrganizationWithRole;
  canRename: boolean;
}) {
  const queryClient = useQueryClient();
  const form = useForm({
    resolver: zodResolver(organizationNameSchema),
    defaultValues: { name: organization.name },
  });
  const rename = useMutation({
    mutationFn: ({ name }: { name: string }) => api.orgs.update(organization.id, { name }),
    // Told beside Save and in the toast below.
    meta: { inlineError: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(orgKey(updated.id), updated);
      queryClient.setQueryData<Session | null>(sessionKey, (session) =>
        session?.organization && session.organization.id === updated.id
          ? { ...session, organization: { ...session.organization, name: updated.name } }
          : session,
      );
      queryClient.invalidateQueries({ queryKey: orgsKey });
      form.reset({ name: updated.name });
      toast.success('Organization renamed');
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, ['name']);
      toastSaveFailure('Organization not renamed', error, placed);
    },
  });
  const { errors, isDirty } = form.formState;
  useUnsavedChangesGuard(canRename && isDirty);

  const facts = [
    { term: 'Your role', value: <RoleBadge role={organization.role} /> },
    { term: 'Members', value: String(organization.member_count) },
    {
      term: 'Created',
      value: (
        <span title={formatDateTime(organization.created_at)}>{formatDate(organization.created_at)}</span>
      ),
    },
  ];

  return (
    <Card>
      <form noValidate onSubmit={form.handleSubmit((values) => rename.mutate(values))}>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <Building2 className="size-4 text-muted-foreground" /> General
          </CardTitle>
          <CardDescription>
            {canRename
              ? 'Owners and admins can rename the organization.'
              : 'Only owners and admins can rename it.'}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 md:grid-cols-2">
          <div className="grid content-start gap-5">
            <Field id="org-name" label="Name" error={errors.name?.message}>
              <Input
                {...fieldControlProps('org-name', errors.name?.message)}
                readOnly={!canRename}
                autoComplete="organization"
                {...form.register('name')}
              />
            </Field>
            <div className="grid gap-1.5">
              <Label>Organization ID</Label>
              <CopyField value={organization.id} label="Organization ID" />
              <p className="text-[0.8rem] text-muted-foreground">
                Used by the API and when you ask for support.
              </p>
            </div>
          </div>
          <DescriptionList facts={facts} className="self-start md:border-l md:pl-5" />
        </CardContent>
        {canRename ? (
          <CardFooter className="flex-wrap justify-end">
            <SaveFailure
              error={rename.error}
              paused={rename.isPaused}
              fieldsShown={serverFieldsShown(rename.error, ['name'])}
              className="w-full sm:mr-auto sm:w-auto sm:flex-1"
            />
            <Button
              type="button"
              variant="ghost"
              disabled={!isDirty || rename.isPending}
              onClick={() => {
                form.reset();
                rename.reset();
              }}
            >
              Discard
            </Button>
            <Button type="submit" disabled={!isDirty || rename.isPending}>
              {rename.isPending ? <Loader2 className="animate-spin" /> : null}
              Save name
            </Button>
          </CardFooter>
        ) : null}
      </form>
    </Card>
  );
}

function DeleteCard({ organization }: { organization: OrganizationWithRole }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = React.useState(false);
  const [typed, setTyped] = React.useState('');
  const remove = useMutation({
    mutationFn: () => api.orgs.remove(organization.id),
    meta: { inlineError: true },
    onSuccess: async () => {
      setOpen(false);
      // Forget first: a page rendered during the navigation must not ask about the deleted organisation.
      await forgetOrganization(queryClient, organization.id);
      navigate('/');
      toast.success(`${organization.name} was deleted`);
    },
  });

  return (
    <Card className="border-red-200">
      <CardHeader>
        <CardTitle className="text-red-700">Delete organization</CardTitle>
        <CardDescription>
          Deletes {organization.name} with everything it owns — bots, conversations, API keys and invitations
          — for every member. This cannot be undone.
        </CardDescription>
      </CardHeader>
      <CardFooter className="justify-end border-red-100 bg-red-50/50">
        <Button
          variant="destructive"
          onClick={() => {
            setTyped('');
            setOpen(true);
          }}
        >
          <Trash2 />
          Delete organization
        </Button>
      </CardFooter>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) remove.reset();
        }}
        title={`Delete ${organization.name}?`}
        description="Everything in it is deleted at once for every member. There is no undo."
        confirmLabel="Delete organization"
        destructive
        confirmDisabled={typed.trim() !== organization.name.trim()}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
      >
        <Field id="confirm-org-name" label={`Type ${organization.name} to confirm`}>
          <Input
            id="confirm-org-name"
            autoFocus
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        </Field>
      </ConfirmDialog>
    </Card>
  );
}
