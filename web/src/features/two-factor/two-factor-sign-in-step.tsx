// The second step of signing in: the code from the authenticator app, or a recovery code. A wrong
// code is reported beside the field; a challenge the server no longer accepts (5 minutes, 5 wrong
// codes) sends the person back to the password.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { ArrowLeft, Loader2, ShieldCheck, TimerReset } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { twoFactorApi } from '@/features/two-factor/api';
import { CodeInput } from '@/features/two-factor/code-input';
import { appCodeSchema, recoveryCodeSchema, type CodeValues } from '@/features/two-factor/format';
import { isApiError, type Session, type TwoFactorChallenge } from '@/lib/api';
import { formatWait } from '@/lib/utils';

export const DEAD_CHALLENGE_MESSAGE =
  'That sign-in attempt has expired or had too many wrong codes. Enter your password again.';

interface TwoFactorSignInStepProps {
  challenge: TwoFactorChallenge;
  onSignedIn: (session: Session) => void;
  /** Back to the password step, with the reason to show there ("" when the person chose to go back). */
  onRestart: (message: string) => void;
}

export function TwoFactorSignInStep({ challenge, onSignedIn, onRestart }: TwoFactorSignInStepProps) {
  const [recovery, setRecovery] = React.useState(false);
  // Kept when switching between an app code and a recovery code.
  const [rememberDevice, setRememberDevice] = React.useState(false);
  return (
    <div className="grid gap-4">
      <div className="flex items-start gap-3">
        <div className="flex size-9 shrink-0 items-center justify-center rounded-full bg-muted">
          <ShieldCheck className="size-4" />
        </div>
        <div className="space-y-1">
          <h2 className="text-base font-semibold leading-tight">Two-factor sign-in</h2>
          <p className="text-sm text-muted-foreground">
            {recovery
              ? 'Enter one of the recovery codes you saved when you set up two-factor sign-in. Each code works once.'
              : 'Open your authenticator app and enter the 6-digit code it shows for Switchboard.'}
          </p>
        </div>
      </div>
      {/* A new form per kind of code: its own rules, an empty field. */}
      <CodeForm
        key={recovery ? 'recovery' : 'app'}
        recovery={recovery}
        rememberDevice={rememberDevice}
        onRememberDeviceChange={setRememberDevice}
        challenge={challenge}
        onSignedIn={onSignedIn}
        onRestart={onRestart}
      />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button type="button" variant="ghost" size="sm" className="-ml-3" onClick={() => onRestart('')}>
          <ArrowLeft />
          Back
        </Button>
        <Button
          type="button"
          variant="link"
          size="sm"
          className="px-0"
          onClick={() => setRecovery((value) => !value)}
        >
          {recovery ? 'Use the code from your app' : 'Use a recovery code instead'}
        </Button>
      </div>
    </div>
  );
}

function CodeForm({
  recovery,
  rememberDevice,
  onRememberDeviceChange,
  challenge,
  onSignedIn,
  onRestart,
}: TwoFactorSignInStepProps & {
  recovery: boolean;
  rememberDevice: boolean;
  onRememberDeviceChange: (remember: boolean) => void;
}) {
  const form = useForm<CodeValues>({
    resolver: zodResolver(recovery ? recoveryCodeSchema : appCodeSchema),
    defaultValues: { code: '' },
  });
  const verify = useMutation({
    mutationFn: (code: string) => twoFactorApi.completeSignIn(challenge.challenge, code, rememberDevice),
    meta: { inlineError: true },
    onSuccess: (session) => onSignedIn(session),
    onError: (error) => {
      if (isApiError(error, 422)) {
        form.setError('code', { type: 'server', message: error.fields.code ?? error.message });
        form.setFocus('code');
      } else if (isApiError(error, 401)) {
        onRestart(DEAD_CHALLENGE_MESSAGE);
      }
    },
  });
  const { errors } = form.formState;
  const rateLimited = isApiError(verify.error, 429) ? verify.error : null;
  const otherError =
    verify.error && !rateLimited && !isApiError(verify.error, 422) && !isApiError(verify.error, 401)
      ? verify.error
      : null;
  const id = recovery ? 'signin-recovery-code' : 'signin-code';

  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit((values) => verify.mutate(values.code))}
    >
      {rateLimited ? (
        <Alert variant="warning">
          <TimerReset />
          <span>
            {rateLimited.message}{' '}
            {rateLimited.retryAfter ? `Try again in ${formatWait(rateLimited.retryAfter)}.` : null}
          </span>
        </Alert>
      ) : null}
      {otherError ? <ErrorAlert error={otherError} /> : null}
      <Field id={id} label={recovery ? 'Recovery code' : 'Authentication code'} error={errors.code?.message}>
        <CodeInput
          {...fieldControlProps(id, errors.code?.message)}
          recovery={recovery}
          autoFocus
          {...form.register('code')}
        />
      </Field>
      <div className="flex items-start gap-2">
        <input
          id="signin-remember-device"
          type="checkbox"
          checked={rememberDevice}
          onChange={(event) => onRememberDeviceChange(event.target.checked)}
          className="mt-0.5 size-4 shrink-0 accent-primary"
        />
        <label htmlFor="signin-remember-device" className="grid gap-0.5 text-sm">
          <span>Remember this browser for 30 days</span>
          <span className="text-xs text-muted-foreground">
            Only on a computer that is yours: it will ask just for your password here.
          </span>
        </label>
      </div>
      <Button type="submit" disabled={verify.isPending}>
        {verify.isPending ? <Loader2 className="animate-spin" /> : null}
        Verify and sign in
      </Button>
    </form>
  );
}
