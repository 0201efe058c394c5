// The caller's own membership: hand the organisation over (owners) or leave it.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Crown, LogOut } from 'lucide-react';
import { useNavigate } from 'react-router-dom';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { NativeSelect } from '@/components/ui/native-select';
import { forgetOrganization, reloadSession } from '@/features/orgs/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { ROLE_LABELS } from '@/features/permissions/roles';
import { useMembers } from '@/features/team/queries';
import { api, type OrgSession } from '@/lib/api';

export function MembershipCard({ session }: { session: OrgSession }) {
  const orgId = session.organization.id;
  const orgName = session.organization.name;
  const { can, role } = usePermissions();
  const members = useMembers(orgId);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [leaving, setLeaving] = React.useState(false);
  const [transferring, setTransferring] = React.useState(false);
  const [newOwner, setNewOwner] = React.useState('');

  const candidates = (members.data ?? []).filter(
    (member) => member.user_id !== session.user.id && member.role !== 'owner',
  );
  const canTransfer = role === 'owner' && can(Action.ownershipTransfer);

  const leave = useMutation({
    mutationFn: () => api.members.remove(orgId, session.user.id),
    meta: { inlineError: true },
    onSuccess: async () => {
      setLeaving(false);
      // Forget first: the dashboard must not load (and be refused) the data of the organisation just left.
      await forgetOrganization(queryClient, orgId);
      navigate('/');
      toast.success(`You left ${orgName}`);
    },
  });
  const transfer = useMutation({
    mutationFn: (userId: string) => api.orgs.transferOwnership(orgId, userId),
    meta: { inlineError: true },
    onSuccess: async (_, userId) => {
      setTransferring(false);
      await reloadSession(queryClient);
      const name = candidates.find((member) => member.user_id === userId)?.name ?? 'The new owner';
      toast.success(`${name} now owns ${orgName}`, { description: 'You are an admin now.' });
    },
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Your membership</CardTitle>
        <CardDescription>
          You are {role === 'owner' || role === 'admin' ? 'an' : 'a'} {ROLE_LABELS[role].toLowerCase()} of{' '}
          {orgName}.
        </CardDescription>
      </CardHeader>
      <CardContent className="divide-y p-0">
        {canTransfer ? (
          <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
            <div className="space-y-0.5">
              <p className="text-sm font-medium">Transfer ownership</p>
              <p className="text-sm text-muted-foreground">
                Make another member the owner. You stay on as an admin.
              </p>
            </div>
            <Button
              variant="outline"
              disabled={candidates.length === 0}
              title={candidates.length === 0 ? 'Invite someone first' : undefined}
              onClick={() => {
                setNewOwner(candidates[0]?.user_id ?? '');
                setTransferring(true);
              }}
            >
              <Crown />
              Transfer ownership
            </Button>
          </div>
        ) : null}
        <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
          <div className="space-y-0.5">
            <p className="text-sm font-medium">Leave organization</p>
            <p className="text-sm text-muted-foreground">
              You lose access to {orgName} until someone invites you again.
            </p>
          </div>
          <Button
            variant="outline"
            className="text-destructive hover:text-destructive"
            onClick={() => setLeaving(true)}
          >
            <LogOut />
            Leave organization
          </Button>
        </div>
      </CardContent>

      <ConfirmDialog
        open={leaving}
        onOpenChange={(open) => {
          setLeaving(open);
          if (!open) leave.reset();
        }}
        title={`Leave ${orgName}?`}
        description="You will lose access to its bots, conversations and settings at once."
        confirmLabel="Leave organization"
        destructive
        pending={leave.isPending}
        error={leave.error}
        onConfirm={() => leave.mutate()}
      />
      <ConfirmDialog
        open={transferring}
        onOpenChange={(open) => {
          setTransferring(open);
          if (!open) transfer.reset();
        }}
        title="Transfer ownership"
        description={`The member you choose becomes an owner of ${orgName}; you become an admin. Only an owner can give it back.`}
        confirmLabel="Transfer ownership"
        destructive
        confirmDisabled={!newOwner}
        pending={transfer.isPending}
        error={transfer.error}
        onConfirm={() => transfer.mutate(newOwner)}
      >
        <Field id="new-owner" label="New owner">
          <NativeSelect id="new-owner" value={newOwner} onChange={(event) => setNewOwner(event.target.value)}>
            {candidates.map((member) => (
              <option key={member.user_id} value={member.user_id}>
                {member.name} ({member.email})
              </option>
            ))}
          </NativeSelect>
        </Field>
      </ConfirmDialog>
    </Card>
  );
}
