// /invite/:token: the public page behind an invitation link. Shows the organisation, role and
// invited address; lets a visitor sign up or sign in and joins them at once; tells a signed-in
// user with another address what to do; says plainly when the link no longer works.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Clock, Link2Off, Loader2, LogOut, MailWarning } from 'lucide-react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { toast } from 'sonner';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Logo } from '@/components/layout/logo';
import { useDocumentTitle } from '@/components/layout/page-header';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardFooter, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { SignInForm, SignUpForm } from '@/features/auth/auth-forms';
import { useSession } from '@/features/auth/session';
import { inviterName, sameEmail, useInvitePreview } from '@/features/invites/queries';
import { adoptSession } from '@/features/orgs/queries';
import { OrgMark } from '@/features/orgs/org-switcher';
import { RoleBadge } from '@/features/permissions/role-badge';
import { ROLE_DESCRIPTIONS } from '@/features/permissions/roles';
import { api, isApiError, type InvitePreview, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function InvitePage() {
  const { token = '' } = useParams();
  const preview = useInvitePreview(token);
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  useDocumentTitle(preview.data ? `Join ${preview.data.organization.name}` : 'Invitation');

  const welcome = async (joined: Session) => {
    await adoptSession(queryClient, joined);
    navigate('/', { replace: true });
    toast.success(`Welcome to ${joined.organization?.name ?? 'the team'}`, {
      description: `You joined as ${joined.role}.`,
    });
  };
  const accept = useMutation({
    mutationFn: () => api.invites.accept(token),
    meta: { inlineError: true },
    onSuccess: welcome,
  });
  const onSignedIn = (signedIn: Session) => {
    queryClient.setQueryData(sessionKey, signedIn);
    accept.mutate();
  };

  let body: React.ReactNode;
  if (preview.isPending || session.isPending) {
    body = <InviteSkeleton />;
  } else if (isApiError(preview.error, 404) || isApiError(accept.error, 404)) {
    body = <InvalidInvite signedIn={Boolean(session.data)} />;
  } else if (preview.isError) {
    body = (
      <ErrorState
        title="Could not load this invitation"
        error={preview.error}
        onRetry={() => preview.refetch()}
      />
    );
  } else if (session.isError) {
    body = (
      <ErrorState
        title="Could not reach Switchboard"
        error={session.error}
        onRetry={() => session.refetch()}
      />
    );
  } else {
    const invite = preview.data;
    const user = session.data?.user;
    const mismatch =
      (user && !sameEmail(user.email, invite.email)) ||
      (isApiError(accept.error, 403) && accept.error.code === 'invite_email_mismatch');
    body = (
      <Card>
        <InviteSummary invite={invite} />
        {accept.isPending || accept.isSuccess ? (
          <CardContent>
            <p className="flex items-center justify-center gap-2 rounded-md border bg-muted/30 py-6 text-sm">
              <Loader2 className="size-4 animate-spin" /> Joining {invite.organization.name}…
            </p>
          </CardContent>
        ) : mismatch && user ? (
          <WrongAccount invite={invite} email={user.email} />
        ) : user ? (
          <>
            <CardContent className="grid gap-3">
              <p className="text-sm text-muted-foreground">
                You are signed in as <span className="font-medium text-foreground">{user.email}</span>.
              </p>
              {accept.error ? <ErrorAlert error={accept.error} /> : null}
            </CardContent>
            <CardFooter className="justify-end">
              <Button variant="ghost" asChild>
                <Link to="/">Not now</Link>
              </Button>
              <Button onClick={() => accept.mutate()}>Accept invitation</Button>
            </CardFooter>
          </>
        ) : (
          <CardContent className="grid gap-3">
            {accept.error ? <ErrorAlert error={accept.error} /> : null}
            <SignedOutChoices invite={invite} token={token} onSignedIn={onSignedIn} onSignedUp={welcome} />
          </CardContent>
        )}
      </Card>
    );
  }

  return (
    <div className="flex min-h-screen flex-col items-center bg-zinc-50 px-4 py-10 sm:py-16">
      <Link to="/" aria-label="Switchboard home" className="mb-8">
        <Logo />
      </Link>
      <main className="w-full max-w-md">{body}</main>
    </div>
  );
}

function InviteSummary({ invite }: { invite: InvitePreview }) {
  const inviter = inviterName(invite);
  return (
    <CardHeader className="items-center gap-3 pb-5 pt-7 text-center">
      <OrgMark name={invite.organization.name} className="size-12 rounded-xl text-lg" />
      <div className="space-y-1.5">
        <h1 className="text-xl font-semibold tracking-tight">Join {invite.organization.name}</h1>
        <p className="text-sm text-muted-foreground">
          {inviter ? (
            <>
              <span className="font-medium text-foreground">{inviter}</span> invited{' '}
            </>
          ) : (
            'This invitation is for '
          )}
          <span className="font-medium text-foreground">{invite.email}</span>
          {inviter ? ' to join the team.' : '.'}
        </p>
      </div>
      <div className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
        <span className="inline-flex items-center gap-1.5">
          Role <RoleBadge role={invite.role} />
        </span>
        <span className="inline-flex items-center gap-1" title={formatDateTime(invite.expires_at)}>
          <Clock className="size-3.5" /> Expires {formatRelative(invite.expires_at)}
        </span>
      </div>
      <p className="text-xs text-muted-foreground">{ROLE_DESCRIPTIONS[invite.role]}</p>
    </CardHeader>
  );
}

// Signing up with the invitation's token joins its organisation at once (and only it); signing in
// accepts the invitation afterwards.
function SignedOutChoices({
  invite,
  token,
  onSignedIn,
  onSignedUp,
}: {
  invite: InvitePreview;
  token: string;
  onSignedIn: (session: Session) => void;
  onSignedUp: (session: Session) => void;
}) {
  const [tab, setTab] = React.useState('signup');
  return (
    <Tabs value={tab} onValueChange={setTab}>
      <TabsList className="w-full">
        <TabsTrigger value="signup">Sign up to join</TabsTrigger>
        <TabsTrigger value="signin">I already have an account</TabsTrigger>
      </TabsList>
      <TabsContent value="signup">
        <SignUpForm
          onSignedIn={onSignedUp}
          defaultEmail={invite.email}
          lockEmail
          inviteToken={token}
          submitLabel="Create account and join"
        />
      </TabsContent>
      <TabsContent value="signin">
        <SignInForm onSignedIn={onSignedIn} defaultEmail={invite.email} submitLabel="Sign in and join" />
      </TabsContent>
    </Tabs>
  );
}

function WrongAccount({ invite, email }: { invite: InvitePreview; email: string }) {
  const signOut = useMutation({
    mutationFn: api.auth.signOut,
    // A full page load leaves nothing of this user's data in memory, and shows the sign-up form.
    onSettled: () => window.location.reload(),
  });
  return (
    <>
      <CardContent>
        <div className="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <MailWarning className="mt-0.5 size-4 shrink-0" />
          <p>
            You are signed in as <span className="font-medium">{email}</span>, but this invitation is for{' '}
            <span className="font-medium">{invite.email}</span>. Sign out, then sign in or sign up with{' '}
            {invite.email} to join. Or ask for an invitation to {email}.
          </p>
        </div>
      </CardContent>
      <CardFooter className="justify-end">
        <Button variant="ghost" asChild>
          <Link to="/">Back to dashboard</Link>
        </Button>
        <Button onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {signOut.isPending ? <Loader2 className="animate-spin" /> : <LogOut />}
          Sign out
        </Button>
      </CardFooter>
    </>
  );
}

function InvalidInvite({ signedIn }: { signedIn: boolean }) {
  return (
    <Card>
      <CardContent className="flex flex-col items-center gap-3 px-6 py-10 text-center">
        <div className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground">
          <Link2Off className="size-6" />
        </div>
        <div className="space-y-1.5">
          <h1 className="text-xl font-semibold tracking-tight">This invitation link no longer works</h1>
          <p className="text-sm text-muted-foreground">
            It may have expired, been revoked or already been used — or the link is incomplete. Ask the person
            who invited you to send a new one.
          </p>
        </div>
        <Button asChild variant="outline" className="mt-2">
          <Link to={signedIn ? '/' : '/auth'}>{signedIn ? 'Go to dashboard' : 'Sign in'}</Link>
        </Button>
      </CardContent>
    </Card>
  );
}

function InviteSkeleton() {
  return (
    <Card aria-busy="true" aria-label="Loading the invitation">
      <CardHeader className="items-center gap-3 pt-7">
        <Skeleton className="size-12 rounded-xl" />
        <Skeleton className="h-6 w-48" />
        <Skeleton className="h-4 w-64" />
      </CardHeader>
      <CardContent className="space-y-3">
        <Skeleton className="h-9 w-full" />
        <Skeleton className="h-40 w-full" />
      </CardContent>
    </Card>
  );
}
