// /verify-email?token=…: the page behind the link of a verification mail. Sends the token once,
// says the address is verified (and refreshes the session of a signed-in visitor, so the banner
// goes), or that the link no longer works and where to ask for a new one.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, Link2Off, Loader2 } from 'lucide-react';
import { Link, useSearchParams } from 'react-router-dom';
import { AuthHeading, AuthLayout } from '@/components/layout/auth-layout';
import { useDocumentTitle } from '@/components/layout/page-header';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { useSession } from '@/features/auth/session';
import { recoveryApi } from '@/features/recovery/api';
import { isApiError } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

export function VerifyEmailPage() {
  useDocumentTitle('Verify your email address');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const session = useSession();
  const signedIn = Boolean(session.data);
  const queryClient = useQueryClient();
  const verify = useMutation({
    mutationFn: () => recoveryApi.verifyEmail(token),
    meta: { inlineError: true },
    // A signed-in visitor's session says the address is verified before "Continue" shows.
    onSuccess: async () => {
      if (signedIn) await queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });

  // Once, after the session is known (so it can be refreshed after); a link works only once.
  const sent = React.useRef(false);
  React.useEffect(() => {
    if (!token || session.isPending || sent.current) return;
    sent.current = true;
    verify.mutate();
  }, [token, session.isPending, verify]);

  let body: React.ReactNode;
  if (!token || (isApiError(verify.error, 400) && verify.error.code === 'verification_link_invalid')) {
    body = (
      <InvalidLink
        signedIn={signedIn}
        message={isApiError(verify.error) ? verify.error.message : undefined}
      />
    );
  } else if (verify.isError) {
    body = (
      <ErrorState
        title="Could not verify your email address"
        error={verify.error}
        onRetry={() => verify.mutate()}
      />
    );
  } else if (verify.isSuccess) {
    body = (
      <div className="flex flex-col items-start gap-4">
        <div className="flex size-11 items-center justify-center rounded-full bg-emerald-50 text-emerald-600">
          <CircleCheck className="size-5" />
        </div>
        <AuthHeading
          title="Your email address is verified"
          description={
            <>
              <span className="font-medium text-foreground">{verify.data.email}</span> is confirmed. You can
              invite teammates, connect platforms and create API keys.
            </>
          }
        />
        <Button asChild>
          <Link to={signedIn ? '/' : '/auth'}>
            {signedIn ? 'Continue to Switchboard' : 'Continue to sign in'}
          </Link>
        </Button>
      </div>
    );
  } else {
    body = (
      <div className="flex flex-col items-start gap-4" aria-busy="true">
        <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
          <Loader2 className="size-5 animate-spin" />
        </div>
        <AuthHeading
          title="Verifying your email address…"
          description="This takes a moment. Keep this page open."
        />
      </div>
    );
  }
  return <AuthLayout>{body}</AuthLayout>;
}

function InvalidLink({ signedIn, message }: { signedIn: boolean; message?: string }) {
  return (
    <div className="flex flex-col items-start gap-4">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <Link2Off className="size-5" />
      </div>
      <AuthHeading
        title="This link no longer works"
        description={message ?? 'This link has expired or was already used.'}
      />
      <p className="text-sm text-muted-foreground">
        {signedIn
          ? 'Use “Send again” in the banner at the top of Switchboard to get a new link, then open the latest mail.'
          : 'Sign in, then use “Send again” in the banner at the top of the page to get a new link.'}
      </p>
      <Button asChild>
        <Link to={signedIn ? '/' : '/auth'}>{signedIn ? 'Go to Switchboard' : 'Sign in'}</Link>
      </Button>
    </div>
  );
}
