// Setting up two-factor sign-in, shared by the profile page and the enrolment screen: start (a new
// secret from the server), scan the QR code or type the key, prove it with a code, then save the
// recovery codes.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { Check, Copy, Loader2, RotateCw, ShieldCheck } from 'lucide-react';
import { toast } from 'sonner';
import { useForm } from 'react-hook-form';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { inputClassName } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { twoFactorApi, type TwoFactorSetup as SetupAnswer } from '@/features/two-factor/api';
import { CodeInput } from '@/features/two-factor/code-input';
import { appCodeSchema, groupSecret, type CodeValues } from '@/features/two-factor/format';
import { RecoveryCodesView } from '@/features/two-factor/recovery-codes-view';
import { isApiError } from '@/lib/api';
import { cn } from '@/lib/utils';

// The QR code library is needed only here, so it loads with the set-up, not with the app.
const QrCode = React.lazy(() =>
  import('@/features/two-factor/qr-code').then((module) => ({ default: module.QrCode })),
);

interface TwoFactorSetupProps {
  /** The signed-in email, written into the recovery codes file. */
  account: string;
  /** Two-factor is on and the recovery codes are on screen (the session may be refreshed now). */
  onEnabled?: () => void;
  /** The codes are saved: the flow is over. */
  onFinished: () => void;
  /** Offers "Cancel" before two-factor is on. */
  onCancel?: () => void;
  startLabel?: string;
  finishLabel?: string;
}

export function TwoFactorSetup({
  account,
  onEnabled,
  onFinished,
  onCancel,
  startLabel = 'Set up two-factor sign-in',
  finishLabel = 'Done',
}: TwoFactorSetupProps) {
  const start = useMutation({ mutationFn: twoFactorApi.setup, meta: { inlineError: true } });
  const [codes, setCodes] = React.useState<string[] | null>(null);

  if (codes) {
    return <RecoveryCodesView codes={codes} account={account} onDone={onFinished} doneLabel={finishLabel} />;
  }
  if (start.data) {
    return (
      <ScanAndVerify
        setup={start.data}
        onEnabled={(issued) => {
          setCodes(issued);
          onEnabled?.();
        }}
        onRestart={() => start.mutate()}
        restarting={start.isPending}
        onCancel={onCancel}
      />
    );
  }
  return (
    <div className="grid gap-4">
      <ol className="grid gap-2 text-sm text-muted-foreground">
        <li>
          <span className="font-medium text-foreground">1.</span> Install an authenticator app on your phone —
          Google Authenticator, Microsoft Authenticator, 1Password, Authy or any app for “TOTP” codes.
        </li>
        <li>
          <span className="font-medium text-foreground">2.</span> Scan the QR code we show you, and enter the
          6-digit code the app then displays.
        </li>
        <li>
          <span className="font-medium text-foreground">3.</span> Save your recovery codes, for the day you
          cannot use your phone.
        </li>
      </ol>
      {start.error ? <ErrorAlert error={start.error} /> : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel} disabled={start.isPending}>
            Cancel
          </Button>
        ) : null}
        <Button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
          {start.isPending ? <Loader2 className="animate-spin" /> : <ShieldCheck />}
          {startLabel}
        </Button>
      </div>
    </div>
  );
}

function ScanAndVerify({
  setup,
  onEnabled,
  onRestart,
  restarting,
  onCancel,
}: {
  setup: SetupAnswer;
  onEnabled: (codes: string[]) => void;
  onRestart: () => void;
  restarting: boolean;
  onCancel?: () => void;
}) {
  const form = useForm<CodeValues>({ resolver: zodResolver(appCodeSchema), defaultValues: { code: '' } });
  const enable = useMutation({
    mutationFn: (code: string) => twoFactorApi.enable(code),
    meta: { inlineError: true },
    onSuccess: (answer) => onEnabled(answer.recovery_codes),
    onError: (error) => {
      if (isApiError(error, 422)) {
        form.setError('code', { type: 'server', message: error.fields.code ?? error.message });
        form.setFocus('code');
      }
    },
  });
  // The server forgot the set-up (another tab started a new one, or it was never saved): start again.
  const lost = isApiError(enable.error, 409) ? enable.error : null;
  const otherError = enable.error && !isApiError(enable.error, 422) && !lost ? enable.error : null;
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={form.handleSubmit((values) => enable.mutate(values.code))}
    >
      <div className="grid gap-5 sm:grid-cols-[auto_1fr] sm:items-start">
        <React.Suspense
          fallback={<Skeleton className="mx-auto size-44 sm:mx-0" aria-label="Loading the QR code" />}
        >
          <QrCode
            value={setup.otpauth_uri}
            label="QR code for your authenticator app"
            className="mx-auto size-44 sm:mx-0"
          />
        </React.Suspense>
        <div className="grid content-start gap-3 text-sm">
          <p>
            <span className="font-medium">Scan this QR code</span> with your authenticator app. It adds
            Switchboard and starts showing a new 6-digit code every 30 seconds.
          </p>
          <div className="grid gap-1.5">
            <p className="text-muted-foreground">Cannot scan it? Type this key into the app instead:</p>
            <SetupKey secret={setup.secret} />
          </div>
        </div>
      </div>
      {lost ? (
        <Alert variant="warning">
          <RotateCw />
          <span className="grid gap-2">
            {lost.message}
            <Button type="button" size="sm" variant="outline" className="w-fit" onClick={onRestart}>
              {restarting ? <Loader2 className="animate-spin" /> : null}
              Start again
            </Button>
          </span>
        </Alert>
      ) : null}
      {otherError ? <ErrorAlert error={otherError} /> : null}
      <Field
        id="two-factor-setup-code"
        label="Code from the app"
        error={errors.code?.message}
        hint="The 6 digits the app shows for Switchboard."
      >
        <CodeInput
          {...fieldControlProps('two-factor-setup-code', errors.code?.message)}
          className="sm:max-w-48"
          {...form.register('code')}
        />
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel} disabled={enable.isPending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={enable.isPending}>
          {enable.isPending ? <Loader2 className="animate-spin" /> : null}
          Verify and turn on
        </Button>
      </div>
    </form>
  );
}

/** The key in groups of four, wrapping on a phone instead of scrolling out of sight; Copy takes it without spaces. */
function SetupKey({ secret }: { secret: string }) {
  const id = React.useId();
  const [copied, setCopied] = React.useState(false);

  React.useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  return (
    <div className="flex items-start gap-2">
      <label htmlFor={id} className="sr-only">
        Setup key
      </label>
      <textarea
        id={id}
        readOnly
        rows={1}
        value={groupSecret(secret)}
        onFocus={(event) => event.currentTarget.select()}
        className={cn(
          inputClassName,
          'h-auto min-h-9 resize-none bg-muted/40 py-2 font-mono text-sm [field-sizing:content]',
        )}
      />
      <Button
        type="button"
        variant="outline"
        className="shrink-0"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(secret);
            setCopied(true);
          } catch {
            toast.error('Could not copy', { description: 'Select the key and copy it yourself.' });
          }
        }}
      >
        {copied ? <Check className="text-emerald-600" /> : <Copy />}
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}
