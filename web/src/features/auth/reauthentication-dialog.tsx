// "Confirm it's you": asks for the password (or, with two-factor on, a code from the authenticator
// app) when the server wants recent authentication (403 reauthentication_required), then lets the
// API client retry the request that needed it.
import * as React from 'react';
import { Loader2 } from 'lucide-react';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogCloseButton,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setReauthenticationHandler, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

/** Mounted once in the app: every request that needs a fresh password proof goes through it. */
export function ReauthenticationDialog() {
  const [open, setOpen] = React.useState(false);
  const queryClient = useQueryClient();
  // Whoever is signed in now; read when the dialog opens, without asking the server again.
  const twoFactor =
    open && (queryClient.getQueryData<Session | null>(sessionKey)?.user.two_factor_enabled ?? false);
  // Several requests may need it at once: they all wait for the same answer.
  const pending = React.useRef<{ promise: Promise<boolean>; resolve: (proved: boolean) => void } | null>(
    null,
  );

  React.useEffect(() => {
    setReauthenticationHandler(() => {
      if (!pending.current) {
        let resolve: (proved: boolean) => void = () => {};
        const promise = new Promise<boolean>((r) => {
          resolve = r;
        });
        pending.current = { promise, resolve };
        setOpen(true);
      }
      return pending.current.promise;
    });
    return () => {
      setReauthenticationHandler(null);
      pending.current?.resolve(false);
      pending.current = null;
    };
  }, []);

  const finish = React.useCallback((proved: boolean) => {
    setOpen(false);
    pending.current?.resolve(proved);
    pending.current = null;
  }, []);

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : finish(false))}>
      <ProofPrompt twoFactor={twoFactor} onProved={() => finish(true)} onCancel={() => finish(false)} />
      <DialogCloseButton />
    </Dialog>
  );
}

function ProofPrompt({
  twoFactor,
  onProved,
  onCancel,
}: {
  twoFactor: boolean;
  onProved: () => void;
  onCancel: () => void;
}) {
  const [useCode, setUseCode] = React.useState(false);
  const [value, setValue] = React.useState('');
  const [fieldError, setFieldError] = React.useState<string | undefined>();
  const [error, setError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState(false);
  const field = useCode ? 'code' : 'password';

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const proof = useCode ? value.replace(/\s+/g, '') : value;
    if (!proof) {
      setFieldError(useCode ? 'Enter the code from your authenticator app.' : 'Enter your password.');
      return;
    }
    setBusy(true);
    setError(null);
    setFieldError(undefined);
    try {
      await api.auth.reauthenticate(useCode ? { code: proof } : { password: proof });
      onProved();
    } catch (caught) {
      if (isApiError(caught, 422) && caught.fields[field]) setFieldError(caught.fields[field]);
      else setError(caught);
      setBusy(false);
    }
  };

  const switchProof = () => {
    setUseCode((current) => !current);
    setValue('');
    setFieldError(undefined);
    setError(null);
  };

  return (
    <form noValidate onSubmit={submit} className="grid gap-5">
      <DialogHeader>
        <DialogTitle>Confirm it’s you</DialogTitle>
        <DialogDescription>
          {useCode
            ? 'Enter the 6-digit code your authenticator app shows for Switchboard, or a recovery code.'
            : 'This needs your password again, because you signed in a while ago.'}
        </DialogDescription>
      </DialogHeader>
      {error ? <ErrorAlert error={error} /> : null}
      <Field
        id={`reauthenticate-${field}`}
        label={useCode ? 'Authentication code' : 'Password'}
        error={fieldError}
      >
        <Input
          key={field}
          {...fieldControlProps(`reauthenticate-${field}`, fieldError)}
          type={useCode ? 'text' : 'password'}
          autoComplete={useCode ? 'one-time-code' : 'current-password'}
          inputMode={useCode ? 'numeric' : undefined}
          autoFocus
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
      </Field>
      {twoFactor ? (
        <Button
          type="button"
          variant="link"
          size="sm"
          className="-mt-3 justify-self-start px-0"
          onClick={switchProof}
        >
          {useCode ? 'Use your password instead' : 'Use a code from your authenticator app instead'}
        </Button>
      ) : null}
      <DialogFooter>
        <Button type="button" variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" disabled={busy}>
          {busy ? <Loader2 className="animate-spin" /> : null}
          Continue
        </Button>
      </DialogFooter>
    </form>
  );
}
