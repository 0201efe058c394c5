// "Invite member": an email and a role, then the accept link to copy — mail may only reach the
// server's outbox, so the link is always shown.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, MailCheck } from 'lucide-react';
import * as React from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ErrorAlert } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-field';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogCloseButton,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, rolesUpTo } from '@/features/permissions/roles';
import { EmailUnverifiedHint, useEmailUnverified } from '@/features/recovery/email-unverified-hint';
import { invitesKey } from '@/features/team/queries';
import { api, isApiError, type Invite, type Role } from '@/lib/api';
import { applyServerFieldErrors, toastSaveFailure } from '@/lib/forms';
import { formatDateTime } from '@/lib/utils';

const inviteSchema = z.object({
  email: z.string().trim().min(1, 'Enter an email address.').email('Enter a valid email address.'),
  role: z.enum(['owner', 'admin', 'member', 'viewer']),
});
type InviteValues = z.infer<typeof inviteSchema>;

interface InviteDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  orgId: string;
  orgName: string;
  actorRole: Role;
}

export function InviteDialog({ open, onOpenChange, orgId, orgName, actorRole }: InviteDialogProps) {
  const [invite, setInvite] = React.useState<Invite | null>(null);
  const close = React.useCallback(
    (next: boolean) => {
      onOpenChange(next);
      if (!next) setInvite(null);
    },
    [onOpenChange],
  );
  return (
    <Dialog open={open} onOpenChange={close}>
      {invite ? (
        <InviteLink invite={invite} orgName={orgName} onDone={() => close(false)} />
      ) : (
        <InviteForm
          orgId={orgId}
          orgName={orgName}
          actorRole={actorRole}
          onInvited={setInvite}
          onCancel={() => close(false)}
        />
      )}
      <DialogCloseButton />
    </Dialog>
  );
}

function InviteForm({
  orgId,
  orgName,
  actorRole,
  onInvited,
  onCancel,
}: {
  orgId: string;
  orgName: string;
  actorRole: Role;
  onInvited: (invite: Invite) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const roles = rolesUpTo(actorRole);
  const form = useForm<InviteValues>({
    resolver: zodResolver(inviteSchema),
    defaultValues: { email: '', role: roles.includes('member') ? 'member' : roles[roles.length - 1] },
  });
  const create = useMutation({
    mutationFn: (values: InviteValues) => api.invites.create(orgId, values),
    meta: { inlineError: true },
    onSuccess: (invite) => {
      queryClient.invalidateQueries({ queryKey: invitesKey(orgId) });
      onInvited(invite);
    },
    onError: (error) => {
      let placed = applyServerFieldErrors(error, form.setError, ['email', 'role']);
      // Already a member, or already invited: the server's words belong under the address.
      if (isApiError(error, 409)) {
        form.setError('email', { type: 'server', message: error.message });
        placed = true;
      }
      toastSaveFailure('Invitation not sent', error, placed);
    },
  });
  const { errors } = form.formState;
  const role = form.watch('role');
  const unverified = useEmailUnverified();
  const shownError =
    create.error &&
    !isApiError(create.error, 409) &&
    !(isApiError(create.error) && Object.keys(create.error.fields).length)
      ? create.error
      : null;

  return (
    <form noValidate className="grid gap-5" onSubmit={form.handleSubmit((values) => create.mutate(values))}>
      <DialogHeader>
        <DialogTitle>Invite a member</DialogTitle>
        <DialogDescription>
          They will get a link to join {orgName}. It works once and expires.
        </DialogDescription>
      </DialogHeader>
      <Field id="invite-email" label="Email address" error={errors.email?.message}>
        <Input
          {...fieldControlProps('invite-email', errors.email?.message)}
          type="email"
          autoFocus
          autoComplete="off"
          placeholder="colleague@company.com"
          {...form.register('email')}
        />
      </Field>
      <Field id="invite-role" label="Role" error={errors.role?.message} hint={ROLE_DESCRIPTIONS[role]}>
        <NativeSelect {...fieldControlProps('invite-role', errors.role?.message)} {...form.register('role')}>
          {roles.map((option) => (
            <option key={option} value={option}>
              {ROLE_LABELS[option]}
            </option>
          ))}
        </NativeSelect>
      </Field>
      {shownError ? <ErrorAlert error={shownError} /> : null}
      {unverified && !shownError ? <EmailUnverifiedHint action="invite teammates" /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending || unverified}>
          {create.isPending ? <Loader2 className="animate-spin" /> : null}
          Send invitation
        </Button>
      </DialogFooter>
    </form>
  );
}

/** The accept link of a new or re-sent invitation: shown only now, never listed again. */
export function InviteLink({
  invite,
  orgName,
  onDone,
  resent = false,
}: {
  invite: Invite;
  orgName: string;
  onDone: () => void;
  resent?: boolean;
}) {
  return (
    <div className="grid gap-5">
      <DialogHeader>
        <div className="mb-1 flex size-10 items-center justify-center rounded-full bg-emerald-50 text-emerald-600">
          <MailCheck className="size-5" />
        </div>
        <DialogTitle>{resent ? 'Invitation sent again' : 'Invitation sent'}</DialogTitle>
        <DialogDescription>
          {invite.email} can join {orgName} as {ROLE_LABELS[invite.role].toLowerCase()} with this link until{' '}
          {formatDateTime(invite.expires_at)}.{resent ? ' The previous link no longer works.' : ''}
        </DialogDescription>
      </DialogHeader>
      {invite.accept_url ? (
        <div className="grid gap-2">
          <CopyField value={invite.accept_url} label="Invitation link" />
          <p className="text-[0.8rem] text-muted-foreground">
            We emailed it too. If this server has no mail set up, send the link yourself — it is shown only
            now.
          </p>
        </div>
      ) : null}
      <DialogFooter>
        <Button type="button" onClick={onDone} autoFocus>
          Done
        </Button>
      </DialogFooter>
    </div>
  );
}
