// /team: the members of the current organisation, invitations and the caller's own membership.
import * as React from 'react';
import { UserPlus } from 'lucide-react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { useCurrentSession } from '@/features/auth/session';
import { Action, usePermissions } from '@/features/permissions/queries';
import { InviteDialog } from '@/features/team/invite-dialog';
import { InvitesCard } from '@/features/team/invites-card';
import { MembersCard } from '@/features/team/members-card';
import { MembershipCard } from '@/features/team/membership-card';

export function TeamPage() {
  useDocumentTitle('Team');
  const session = useCurrentSession();
  const { can, role } = usePermissions();
  const [inviting, setInviting] = React.useState(false);
  const canInvite = can(Action.invitesManage);

  return (
    <>
      <PageHeader
        title="Team"
        description={
          <>
            The people in <span className="font-medium text-foreground">{session.organization.name}</span> and
            what each of them can do.
          </>
        }
        actions={
          canInvite ? (
            <Button onClick={() => setInviting(true)}>
              <UserPlus />
              Invite member
            </Button>
          ) : null
        }
      />
      <div className="space-y-6">
        <MembersCard session={session} />
        {can(Action.invitesRead) ? (
          <InvitesCard session={session} canManage={canInvite} onInvite={() => setInviting(true)} />
        ) : null}
        <MembershipCard session={session} />
      </div>
      {canInvite ? (
        <InviteDialog
          open={inviting}
          onOpenChange={setInviting}
          orgId={session.organization.id}
          orgName={session.organization.name}
          actorRole={role}
        />
      ) : null}
    </>
  );
}
