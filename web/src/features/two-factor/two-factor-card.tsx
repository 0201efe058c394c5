// The "Two-factor sign-in" card of the profile page: whether it is on and since when, how many
// recovery codes are left (a warning at 3 or fewer), setting it up, a new set of codes, turning it off.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, KeyRound, ShieldCheck, ShieldOff } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ErrorState } from '@/components/states';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useSignedInSession } from '@/features/auth/session';
import { twoFactorApi, type TwoFactorStatus } from '@/features/two-factor/api';
import { refreshTwoFactor, useTwoFactorStatus } from '@/features/two-factor/queries';
import { RecoveryCodesView } from '@/features/two-factor/recovery-codes-view';
import { TwoFactorSetup } from '@/features/two-factor/two-factor-setup';
import { cn, formatDate, formatDateTime } from '@/lib/utils';

/** At or below this many unused recovery codes, the card suggests a new set. */
export const FEW_RECOVERY_CODES = 3;

type Mode = { kind: 'status' } | { kind: 'setup' } | { kind: 'codes'; codes: string[] };

export const TwoFactorCard = React.forwardRef<HTMLDivElement, React.HTMLAttributes<HTMLDivElement>>(
  ({ className, ...props }, ref) => {
    const session = useSignedInSession();
    const status = useTwoFactorStatus();
    const queryClient = useQueryClient();
    const [mode, setMode] = React.useState<Mode>({ kind: 'status' });
    const on = status.data?.enabled ?? false;

    let body: React.ReactNode;
    if (mode.kind === 'setup') {
      body = (
        <CardContent>
          <TwoFactorSetup
            account={session.user.email}
            onEnabled={() => void refreshTwoFactor(queryClient)}
            onFinished={() => {
              setMode({ kind: 'status' });
              toast.success('Two-factor sign-in is on');
            }}
            onCancel={() => setMode({ kind: 'status' })}
            startLabel="Show the QR code"
          />
        </CardContent>
      );
    } else if (mode.kind === 'codes') {
      body = (
        <CardContent>
          <RecoveryCodesView
            codes={mode.codes}
            account={session.user.email}
            onDone={() => setMode({ kind: 'status' })}
          />
        </CardContent>
      );
    } else if (status.isPending) {
      body = (
        <CardContent className="grid gap-3" aria-busy="true" aria-label="Loading two-factor sign-in">
          <Skeleton className="h-5 w-48" />
          <Skeleton className="h-5 w-64" />
        </CardContent>
      );
    } else if (status.isError) {
      body = (
        <CardContent>
          <ErrorState
            title="Could not load your two-factor settings"
            error={status.error}
            onRetry={() => status.refetch()}
          />
        </CardContent>
      );
    } else if (status.data.enabled) {
      body = <EnabledStatus status={status.data} onNewCodes={(codes) => setMode({ kind: 'codes', codes })} />;
    } else {
      body = (
        <>
          <CardContent>
            <p className="text-sm text-muted-foreground">
              Besides your password, ask for a code from an authenticator app on your phone at each sign-in,
              so a stolen password alone cannot open your account.
            </p>
          </CardContent>
          <CardFooter className="justify-end">
            <Button onClick={() => setMode({ kind: 'setup' })}>
              <ShieldCheck />
              Set up
            </Button>
          </CardFooter>
        </>
      );
    }

    return (
      <Card ref={ref} id="two-factor" className={cn('scroll-mt-20', className)} {...props}>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Two-factor sign-in
            {status.data && mode.kind === 'status' ? (
              on ? (
                <Badge variant="green">On</Badge>
              ) : (
                <Badge variant="secondary">Off</Badge>
              )
            ) : null}
          </CardTitle>
          <CardDescription>
            {mode.kind === 'setup'
              ? 'Connect an authenticator app to your account.'
              : mode.kind === 'codes'
                ? 'Your new recovery codes. The old ones no longer work.'
                : 'A code from your phone at every sign-in, as well as your password.'}
          </CardDescription>
        </CardHeader>
        {body}
      </Card>
    );
  },
);
TwoFactorCard.displayName = 'TwoFactorCard';

function EnabledStatus({
  status,
  onNewCodes,
}: {
  status: TwoFactorStatus;
  onNewCodes: (codes: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = React.useState<'off' | 'codes' | null>(null);
  const disable = useMutation({
    mutationFn: twoFactorApi.disable,
    meta: { inlineError: true },
    onSuccess: async () => {
      setConfirm(null);
      await refreshTwoFactor(queryClient);
      toast.success('Two-factor sign-in is off');
    },
  });
  const regenerate = useMutation({
    mutationFn: twoFactorApi.regenerateRecoveryCodes,
    meta: { inlineError: true },
    onSuccess: async (answer) => {
      setConfirm(null);
      onNewCodes(answer.recovery_codes);
      await refreshTwoFactor(queryClient);
    },
  });
  const left = status.recovery_codes_left;
  const few = left <= FEW_RECOVERY_CODES;

  return (
    <>
      <CardContent className="grid gap-3 text-sm">
        <p className="flex items-center gap-2">
          <ShieldCheck className="size-4 text-emerald-600" />
          {status.enabled_at ? (
            <span>
              On since <span title={formatDateTime(status.enabled_at)}>{formatDate(status.enabled_at)}</span>.
            </span>
          ) : (
            <span>On.</span>
          )}
        </p>
        <p className="flex items-center gap-2">
          <KeyRound className="size-4 text-muted-foreground" />
          <span>
            {left} recovery {left === 1 ? 'code' : 'codes'} left
          </span>
        </p>
        {few ? (
          <Alert variant="warning">
            <AlertTriangle />
            <span>
              {left === 0
                ? 'You have no recovery codes left.'
                : `Only ${left} recovery ${left === 1 ? 'code is' : 'codes are'} left.`}{' '}
              Make a new set, so that losing your phone does not lock you out.
            </span>
          </Alert>
        ) : null}
      </CardContent>
      <CardFooter className="flex-wrap justify-end gap-2">
        <Button variant="outline" onClick={() => setConfirm('codes')}>
          <KeyRound />
          New recovery codes
        </Button>
        <Button
          variant="outline"
          className="text-red-700 hover:text-red-800"
          onClick={() => setConfirm('off')}
        >
          <ShieldOff />
          Turn off
        </Button>
      </CardFooter>
      <ConfirmDialog
        open={confirm === 'codes'}
        onOpenChange={(open) => {
          if (!open) {
            setConfirm(null);
            regenerate.reset();
          }
        }}
        title="Make new recovery codes?"
        description="You get ten new codes to save. The codes you have now stop working at once."
        confirmLabel="Make new codes"
        pending={regenerate.isPending}
        error={regenerate.error}
        onConfirm={() => regenerate.mutate()}
      />
      <ConfirmDialog
        open={confirm === 'off'}
        onOpenChange={(open) => {
          if (!open) {
            setConfirm(null);
            disable.reset();
          }
        }}
        title="Turn off two-factor sign-in?"
        description="You will sign in with your password alone, and your recovery codes stop working. An organization that requires two-factor sign-in will ask you to set it up again."
        confirmLabel="Turn off"
        destructive
        pending={disable.isPending}
        error={disable.error}
        onConfirm={() => disable.mutate()}
      />
    </>
  );
}
