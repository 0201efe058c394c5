// The signed-in app's reminder that the email address is not verified yet, with "Send again" for a
// new link. Inviting, connecting platforms and creating API keys wait for it (403 email_unverified).
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, Loader2, MailWarning } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useSignedInSession } from '@/features/auth/session';
import { recoveryApi } from '@/features/recovery/api';
import { isApiError, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';
import { cn, formatWait } from '@/lib/utils';

/** false only when the server says so: servers before email verification send no email_verified. */
export function isEmailUnverified(session: Session | null | undefined): boolean {
  return session?.user.email_verified === false;
}

export function EmailVerificationBanner({ className }: { className?: string }) {
  const session = useSignedInSession();
  const queryClient = useQueryClient();
  const resend = useMutation({
    mutationFn: recoveryApi.resendVerification,
    meta: { inlineError: true },
    onError: (error) => {
      // Verified meanwhile (another tab, the link opened elsewhere): the session says so, the banner goes.
      if (isApiError(error, 409)) void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
  if (!isEmailUnverified(session)) return null;

  const { email } = session.user;
  let outcome: React.ReactNode = null;
  if (resend.isSuccess) {
    outcome = resend.data.message;
  } else if (isApiError(resend.error, 429)) {
    outcome = `${resend.error.message}${resend.error.retryAfter ? ` Try again in ${formatWait(resend.error.retryAfter)}.` : ''}`;
  } else if (resend.error && !isApiError(resend.error, 409)) {
    outcome = resend.error.message;
  }

  return (
    <Alert
      variant="warning"
      role="region"
      aria-label="Email address not verified"
      className={cn('flex-col items-start gap-3 sm:flex-row sm:items-center', className)}
    >
      <div className="flex flex-1 gap-3">
        <MailWarning className="mt-0.5 size-4 shrink-0" />
        <div className="space-y-1">
          <p>
            <span className="font-medium">Verify your email address</span> to invite teammates, connect
            platforms and create API keys. We sent a link to <span className="font-medium">{email}</span>.
          </p>
          {outcome ? (
            <p role="status" className={cn(resend.isError && 'font-medium')}>
              {outcome}
            </p>
          ) : null}
        </div>
      </div>
      <Button
        variant="outline"
        size="sm"
        className="shrink-0 border-amber-300 bg-background hover:bg-amber-100"
        disabled={resend.isPending || resend.isSuccess}
        onClick={() => resend.mutate()}
      >
        {resend.isPending ? <Loader2 className="animate-spin" /> : resend.isSuccess ? <Check /> : null}
        {resend.isSuccess ? 'Sent' : 'Send again'}
      </Button>
    </Alert>
  );
}
