// "Create API key": a name, a role no higher than the caller's and an optional expiry; then the
// secret, shown this once. The key never outranks its creator and ends with their membership.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Loader2, TriangleAlert } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ErrorAlert } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-field';
import { Alert } from '@/components/ui/alert';
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
import { NativeSelect } from '@/components/ui/native-select';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, rolesUpTo } from '@/features/permissions/roles';
import { EmailUnverifiedHint, useEmailUnverified } from '@/features/recovery/email-unverified-hint';
import { apiKeysKey } from '@/features/api-keys/queries';
import { api, isApiError, type ApiKey, type Role } from '@/lib/api';
import { applyServerFieldErrors, toastSaveFailure } from '@/lib/forms';

function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export const apiKeySchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.'),
  role: z.enum(['owner', 'admin', 'member', 'viewer']),
  expires_on: z
    .string()
    .refine((value) => value === '' || value > today(), 'Choose a date after today, or none.'),
});
type Values = z.infer<typeof apiKeySchema>;

/** The end of the chosen day in the user's time zone, as RFC 3339 (UTC). */
export function endOfDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year, month - 1, day, 23, 59, 59).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface CreateKeyDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  orgId: string;
  actorRole: Role;
}

export function CreateKeyDialog({ open, onOpenChange, orgId, actorRole }: CreateKeyDialogProps) {
  const [created, setCreated] = React.useState<ApiKey | null>(null);
  const close = React.useCallback(
    (next: boolean) => {
      onOpenChange(next);
      if (!next) setCreated(null);
    },
    [onOpenChange],
  );
  return (
    // Once the secret shows, only the buttons close it: a stray click must not lose the key.
    <Dialog open={open} onOpenChange={close} dismissible={created === null}>
      {created ? (
        <SecretKey apiKey={created} onDone={() => close(false)} />
      ) : (
        <CreateKeyForm
          orgId={orgId}
          actorRole={actorRole}
          onCreated={setCreated}
          onCancel={() => close(false)}
        />
      )}
      {created ? null : <DialogCloseButton />}
    </Dialog>
  );
}

function CreateKeyForm({
  orgId,
  actorRole,
  onCreated,
  onCancel,
}: {
  orgId: string;
  actorRole: Role;
  onCreated: (key: ApiKey) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const roles = rolesUpTo(actorRole);
  const form = useForm<Values>({
    resolver: zodResolver(apiKeySchema),
    defaultValues: {
      name: '',
      role: roles.includes('member') ? 'member' : roles[roles.length - 1],
      expires_on: '',
    },
  });
  const create = useMutation({
    mutationFn: ({ name, role, expires_on }: Values) =>
      api.apiKeys.create(orgId, { name, role, ...(expires_on ? { expires_at: endOfDay(expires_on) } : {}) }),
    meta: { inlineError: true },
    onSuccess: (key) => {
      queryClient.invalidateQueries({ queryKey: apiKeysKey(orgId) });
      onCreated(key);
    },
    onError: (error) => {
      let placed = applyServerFieldErrors(error, form.setError, ['name', 'role']);
      if (isApiError(error) && error.fields.expires_at) {
        form.setError('expires_on', { type: 'server', message: error.fields.expires_at });
        placed = true;
      }
      toastSaveFailure('API key not created', error, placed);
    },
  });
  const { errors } = form.formState;
  const role = form.watch('role');
  const fieldError = isApiError(create.error) && Object.keys(create.error.fields).length > 0;
  const unverified = useEmailUnverified();

  return (
    <form noValidate className="grid gap-5" onSubmit={form.handleSubmit((values) => create.mutate(values))}>
      <DialogHeader>
        <DialogTitle>Create API key</DialogTitle>
        <DialogDescription>
          A key acts in this organization with its own role. Send it as{' '}
          <code className="font-mono text-xs">Authorization: Bearer …</code>.
        </DialogDescription>
        <p className="text-sm text-muted-foreground">
          This key acts with at most your own role, and stops working if you leave the organization.
        </p>
      </DialogHeader>
      <Field id="key-name" label="Name" error={errors.name?.message} hint="What uses it, e.g. “CI deploys”.">
        <Input
          {...fieldControlProps('key-name', errors.name?.message)}
          autoFocus
          autoComplete="off"
          {...form.register('name')}
        />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="key-role" label="Role" error={errors.role?.message} hint={ROLE_DESCRIPTIONS[role]}>
          <NativeSelect {...fieldControlProps('key-role', errors.role?.message)} {...form.register('role')}>
            {roles.map((option) => (
              <option key={option} value={option}>
                {ROLE_LABELS[option]}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field
          id="key-expiry"
          label="Expires (optional)"
          error={errors.expires_on?.message}
          hint="At the end of that day. Empty: never."
        >
          <Input
            {...fieldControlProps('key-expiry', errors.expires_on?.message)}
            type="date"
            min={today()}
            {...form.register('expires_on')}
          />
        </Field>
      </div>
      {create.error && !fieldError ? <ErrorAlert error={create.error} /> : null}
      {unverified && !create.error ? <EmailUnverifiedHint action="create API keys" /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending || unverified}>
          {create.isPending ? <Loader2 className="animate-spin" /> : null}
          Create key
        </Button>
      </DialogFooter>
    </form>
  );
}

function SecretKey({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  return (
    <div className="grid gap-5">
      <DialogHeader>
        <div className="mb-1 flex size-10 items-center justify-center rounded-full bg-emerald-50 text-emerald-600">
          <KeyRound className="size-5" />
        </div>
        <DialogTitle>Copy your new API key</DialogTitle>
        <DialogDescription>
          “{apiKey.name}” acts as {ROLE_LABELS[apiKey.role].toLowerCase()}.
        </DialogDescription>
      </DialogHeader>
      <CopyField value={apiKey.key ?? ''} label="Secret API key" />
      <Alert variant="warning">
        <TriangleAlert />
        <span>
          <span className="font-medium">You won’t see it again.</span> Store it somewhere safe now;
          Switchboard keeps only a hash. If you lose it, revoke it and create a new one.
        </span>
      </Alert>
      <DialogFooter>
        <Button type="button" onClick={onDone}>
          I have copied it
        </Button>
      </DialogFooter>
    </div>
  );
}
