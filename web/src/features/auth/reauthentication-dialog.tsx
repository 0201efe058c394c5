// "Confirm it's you": asks for the password when the server wants recent authentication
// (403 reauthentication_required), then lets the API client retry the request that needed it.
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
import { api, isApiError, setReauthenticationHandler } from '@/lib/api';

/** Mounted once in the app: every request that needs a fresh password proof goes through it. */
export function ReauthenticationDialog() {
  const [open, setOpen] = React.useState(false);
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
      <PasswordPrompt onProved={() => finish(true)} onCancel={() => finish(false)} />
      <DialogCloseButton />
    </Dialog>
  );
}

function PasswordPrompt({ onProved, onCancel }: { onProved: () => void; onCancel: () => void }) {
  const [password, setPassword] = React.useState('');
  const [fieldError, setFieldError] = React.useState<string | undefined>();
  const [error, setError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!password) {
      setFieldError('Enter your password.');
      return;
    }
    setBusy(true);
    setError(null);
    setFieldError(undefined);
    try {
      await api.auth.reauthenticate(password);
      onProved();
    } catch (caught) {
      if (isApiError(caught, 422) && caught.fields.password) setFieldError(caught.fields.password);
      else setError(caught);
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={submit} className="grid gap-5">
      <DialogHeader>
        <DialogTitle>Confirm it’s you</DialogTitle>
        <DialogDescription>
          This needs your password again, because you signed in a while ago.
        </DialogDescription>
      </DialogHeader>
      {error ? <ErrorAlert error={error} /> : null}
      <Field id="reauthenticate-password" label="Password" error={fieldError}>
        <Input
          {...fieldControlProps('reauthenticate-password', fieldError)}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </Field>
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
