// While the current organisation requires two-factor sign-in and the user has not set it up, every
// organisation route answers 403 two_factor_enrollment_required: instead of pages that cannot load,
// a full-page screen explains why and walks through the set-up, with a way out (switch organisation,
// sign out).
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, LogOut, ShieldCheck } from 'lucide-react';
import { toast } from 'sonner';
import { Logo } from '@/components/layout/logo';
import { useDocumentTitle } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { useSignedInSession } from '@/features/auth/session';
import { OrgSwitcher } from '@/features/orgs/org-switcher';
import { TwoFactorSetup } from '@/features/two-factor/two-factor-setup';
import { api, isApiError, type Session } from '@/lib/api';

/** Renders its children, or the enrolment screen while the organisation waits for a second factor. */
export function RequireTwoFactorEnrollment({ children }: { children: React.ReactNode }) {
  const session = useSignedInSession();
  return session.two_factor_enrollment_required ? <TwoFactorEnrollmentScreen session={session} /> : children;
}

export function TwoFactorEnrollmentScreen({ session }: { session: Session }) {
  useDocumentTitle('Set up two-factor sign-in');
  const queryClient = useQueryClient();
  const organization = session.organization?.name ?? 'Your organization';
  const signOut = useMutation({
    mutationFn: api.auth.signOut,
    // A full page load leaves nothing of this user's data in memory.
    onSuccess: () => window.location.assign('/auth'),
    onError: (error) => {
      if (isApiError(error, 401)) window.location.assign('/auth');
    },
  });

  return (
    <div className="min-h-screen bg-zinc-50">
      <header className="flex h-14 items-center gap-3 border-b bg-background px-4 md:px-8">
        <Logo className="shrink-0" />
        <div className="ml-auto flex min-w-0 items-center gap-1 sm:gap-2">
          <OrgSwitcher session={session} compact />
          <Button
            variant="ghost"
            size="sm"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
            aria-label="Sign out"
          >
            {signOut.isPending ? <Loader2 className="animate-spin" /> : <LogOut />}
            <span className="hidden sm:inline">Sign out</span>
          </Button>
        </div>
      </header>
      <main className="mx-auto grid max-w-2xl gap-6 px-4 py-10 sm:py-14">
        <div className="grid gap-3 text-center sm:text-left">
          <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-emerald-50 text-emerald-700 sm:mx-0">
            <ShieldCheck className="size-6" />
          </div>
          <h1 className="text-2xl font-semibold tracking-tight">
            Your organization requires two-factor sign-in
          </h1>
          <p className="text-sm text-muted-foreground">
            <span className="font-medium text-foreground">{organization}</span> asks every member to confirm
            each sign-in with a code from an authenticator app, as well as their password. Set it up to
            continue — it takes about a minute.
          </p>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>Set up two-factor sign-in</CardTitle>
            <CardDescription>For {session.user.email}.</CardDescription>
          </CardHeader>
          <CardContent>
            <TwoFactorSetup
              account={session.user.email}
              finishLabel={`Continue to ${organization}`}
              onFinished={async () => {
                // The session now says two-factor is on; every page's data may load again.
                await queryClient.invalidateQueries();
                toast.success('Two-factor sign-in is on');
              }}
            />
          </CardContent>
        </Card>
        <p className="text-center text-sm text-muted-foreground">
          Not now? Switch to another organization with the menu at the top, or sign out.
        </p>
      </main>
    </div>
  );
}
