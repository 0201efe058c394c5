// The members table: who is in the organisation, their role (changeable by those allowed, after a
// confirmation) and removal.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Trash2, Users } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState, ErrorState } from '@/components/states';
import { UserAvatar } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Action, permissionsKey, usePermissions } from '@/features/permissions/queries';
import { canRemoveMember, ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/features/permissions/roles';
import { RoleSelect } from '@/features/team/role-select';
import { membersKey, useMembers } from '@/features/team/queries';
import { orgKey, orgsKey } from '@/features/orgs/queries';
import { api, type Member, type Role, type OrgSession } from '@/lib/api';
import { formatDate, formatDateTime } from '@/lib/utils';

type Pending = { kind: 'role'; member: Member; role: Role } | { kind: 'remove'; member: Member };

export function MembersCard({ session }: { session: OrgSession }) {
  const orgId = session.organization.id;
  const members = useMembers(orgId);
  const { can, role: actorRole } = usePermissions();
  const queryClient = useQueryClient();
  const [pending, setPending] = React.useState<Pending | null>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: membersKey(orgId) }),
      queryClient.invalidateQueries({ queryKey: orgKey(orgId) }),
      queryClient.invalidateQueries({ queryKey: orgsKey }),
      queryClient.invalidateQueries({ queryKey: permissionsKey(orgId) }),
    ]);

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      api.members.update(orgId, member.user_id, role),
    meta: { inlineError: true },
    onSuccess: async (updated) => {
      await refresh();
      setPending(null);
      toast.success(`${updated.name} is now ${articled(updated.role)}`);
    },
  });
  const remove = useMutation({
    mutationFn: (member: Member) => api.members.remove(orgId, member.user_id),
    meta: { inlineError: true },
    onSuccess: async (_, member) => {
      await refresh();
      setPending(null);
      toast.success(`${member.name} was removed from ${session.organization.name}`);
    },
  });

  const closeDialog = () => {
    setPending(null);
    changeRole.reset();
    remove.reset();
  };
  const canChangeRoles = can(Action.membersManage);
  const canRemove = can(Action.membersManage);

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Users className="size-4 text-muted-foreground" /> Members
          {members.data ? <Badge variant="secondary">{members.data.length}</Badge> : null}
        </CardTitle>
        <CardDescription>
          Everyone who can sign in to {session.organization.name}, and their role.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {members.isPending ? (
          <div className="space-y-2" aria-busy="true" aria-label="Loading members">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : members.isError ? (
          <ErrorState
            title="Could not load the members"
            error={members.error}
            onRetry={() => members.refetch()}
          />
        ) : members.data.length === 0 ? (
          <EmptyState icon={Users} title="No members yet" description="Invite someone to get started." />
        ) : (
          <Table stackOnPhone>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Joined</TableHead>
                <TableHead className="w-12">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.data.map((member) => {
                const isSelf = member.user_id === session.user.id;
                const removable = canRemove && !isSelf && canRemoveMember(actorRole, member.role);
                return (
                  <TableRow key={member.user_id}>
                    <TableCell>
                      <div className="flex items-center gap-3">
                        <UserAvatar name={member.name} />
                        <div className="min-w-0">
                          <p className="truncate font-medium">
                            {member.name}
                            {isSelf ? (
                              <span className="ml-1.5 font-normal text-muted-foreground">(you)</span>
                            ) : null}
                          </p>
                          <p className="truncate text-muted-foreground">{member.email}</p>
                        </div>
                      </div>
                    </TableCell>
                    <TableCell>
                      <RoleSelect
                        member={member}
                        actorRole={actorRole}
                        isSelf={isSelf}
                        allowed={canChangeRoles}
                        onChange={(role) => {
                          if (role !== member.role) setPending({ kind: 'role', member, role });
                        }}
                      />
                    </TableCell>
                    <TableCell stackLabel="Joined" className="whitespace-nowrap text-muted-foreground">
                      <span title={formatDateTime(member.joined_at)}>{formatDate(member.joined_at)}</span>
                    </TableCell>
                    <TableCell className="text-right">
                      {removable ? (
                        <Button
                          variant="ghost"
                          size="icon"
                          className="size-8 text-muted-foreground hover:text-destructive"
                          aria-label={`Remove ${member.name}`}
                          title="Remove from organization"
                          onClick={() => setPending({ kind: 'remove', member })}
                        >
                          <Trash2 />
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </CardContent>

      <ConfirmDialog
        open={pending?.kind === 'role'}
        onOpenChange={(open) => (open ? undefined : closeDialog())}
        title="Change role?"
        description={
          pending?.kind === 'role' ? (
            <>
              <span className="font-medium text-foreground">{pending.member.name}</span> (
              {pending.member.email}) will change from {ROLE_LABELS[pending.member.role].toLowerCase()} to{' '}
              <span className="font-medium text-foreground">{ROLE_LABELS[pending.role].toLowerCase()}</span>.{' '}
              {ROLE_DESCRIPTIONS[pending.role]}
            </>
          ) : null
        }
        confirmLabel={
          pending?.kind === 'role' ? `Make ${ROLE_LABELS[pending.role].toLowerCase()}` : 'Change role'
        }
        pending={changeRole.isPending}
        error={changeRole.error}
        onConfirm={() => {
          if (pending?.kind === 'role') changeRole.mutate({ member: pending.member, role: pending.role });
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'remove'}
        onOpenChange={(open) => (open ? undefined : closeDialog())}
        title="Remove member?"
        description={
          pending?.kind === 'remove' ? (
            <>
              <span className="font-medium text-foreground">{pending.member.name}</span> (
              {pending.member.email}) will lose access to {session.organization.name} at once. You can invite
              them again later.
            </>
          ) : null
        }
        confirmLabel="Remove member"
        destructive
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (pending?.kind === 'remove') remove.mutate(pending.member);
        }}
      />
    </Card>
  );
}

function articled(role: Role) {
  const label = ROLE_LABELS[role].toLowerCase();
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}
