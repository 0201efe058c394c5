// Pending and expired invitations, with Resend (a new link, shown once) and Revoke.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MailPlus, RotateCw, Send, X } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogCloseButton } from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { RoleBadge } from '@/features/permissions/role-badge';
import { InviteLink } from '@/features/team/invite-dialog';
import { invitesKey, useInvites } from '@/features/team/queries';
import { api, type Invite, type OrgSession } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function InvitesCard({
  session,
  canManage,
  onInvite,
}: {
  session: OrgSession;
  canManage: boolean;
  onInvite: () => void;
}) {
  const orgId = session.organization.id;
  const invites = useInvites(orgId, true);
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = React.useState<Invite | null>(null);
  const [resent, setResent] = React.useState<Invite | null>(null);

  const resend = useMutation({
    mutationFn: (invite: Invite) => api.invites.resend(orgId, invite.id),
    onSuccess: (invite) => {
      queryClient.invalidateQueries({ queryKey: invitesKey(orgId) });
      setResent(invite);
    },
  });
  const revoke = useMutation({
    mutationFn: (invite: Invite) => api.invites.revoke(orgId, invite.id),
    meta: { inlineError: true },
    onSuccess: async (_, invite) => {
      await queryClient.invalidateQueries({ queryKey: invitesKey(orgId) });
      setRevoking(null);
      toast.success(`Invitation for ${invite.email} revoked`);
    },
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <MailPlus className="size-4 text-muted-foreground" /> Invitations
          {invites.data?.length ? <Badge variant="secondary">{invites.data.length}</Badge> : null}
        </CardTitle>
        <CardDescription>
          People invited who have not joined yet. A link works once and expires.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {invites.isPending ? (
          <div className="space-y-2" aria-busy="true" aria-label="Loading invitations">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-11 w-full" />
          </div>
        ) : invites.isError ? (
          <ErrorState
            title="Could not load the invitations"
            error={invites.error}
            onRetry={() => invites.refetch()}
          />
        ) : invites.data.length === 0 ? (
          <EmptyState icon={MailPlus} title="No pending invitations" className="py-6">
            {canManage ? (
              <Button variant="outline" size="sm" onClick={onInvite}>
                Invite member
              </Button>
            ) : null}
          </EmptyState>
        ) : (
          <Table stackOnPhone>
            <TableHeader>
              <TableRow>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Invited by</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {invites.data.map((invite) => (
                <TableRow key={invite.id}>
                  <TableCell className="break-words font-medium">{invite.email}</TableCell>
                  <TableCell>
                    <RoleBadge role={invite.role} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {invite.status === 'expired' ? (
                      <Badge variant="amber" title={formatDateTime(invite.expires_at)}>
                        Expired
                      </Badge>
                    ) : (
                      <span className="inline-flex items-center gap-2">
                        <Badge variant="green">Pending</Badge>
                        <span
                          className="text-xs text-muted-foreground"
                          title={formatDateTime(invite.expires_at)}
                        >
                          expires {formatRelative(invite.expires_at)}
                        </span>
                      </span>
                    )}
                  </TableCell>
                  <TableCell stackLabel="Invited by" className="text-muted-foreground">
                    <span title={formatDateTime(invite.created_at)}>{invite.invited_by.name}</span>
                  </TableCell>
                  <TableCell>
                    {canManage ? (
                      <div className="flex justify-end gap-1">
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Resend the invitation for ${invite.email}`}
                          disabled={resend.isPending}
                          onClick={() => resend.mutate(invite)}
                        >
                          {resend.isPending && resend.variables?.id === invite.id ? (
                            <RotateCw className="animate-spin" />
                          ) : (
                            <Send />
                          )}
                          Resend
                        </Button>
                        <Button
                          variant="ghost"
                          size="sm"
                          className="text-muted-foreground hover:text-destructive"
                          aria-label={`Revoke the invitation for ${invite.email}`}
                          onClick={() => setRevoking(invite)}
                        >
                          <X />
                          Revoke
                        </Button>
                      </div>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>

      <Dialog open={resent !== null} onOpenChange={(open) => (open ? undefined : setResent(null))}>
        {resent ? (
          <InviteLink
            invite={resent}
            orgName={session.organization.name}
            resent
            onDone={() => setResent(null)}
          />
        ) : null}
        <DialogCloseButton />
      </Dialog>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRevoking(null);
            revoke.reset();
          }
        }}
        title="Revoke invitation?"
        description={
          <>
            The link sent to <span className="font-medium text-foreground">{revoking?.email}</span> will stop
            working.
          </>
        }
        confirmLabel="Revoke invitation"
        destructive
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </Card>
  );
}
