// "Connect <platform>" and "Edit <account>": a form built from the platform's credential fields.
// Secrets go into password fields, are never prefilled, and leave the screen when the dialog closes.
// Closing it or leaving the page with something typed asks first.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { toast } from 'sonner';
import { SaveFailure } from '@/components/save-failure';
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
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import {
  credentialKey,
  maskedHint,
  serverErrors,
  typedCredentials,
  validateCredentials,
  type FormErrors,
} from '@/features/integrations/credentials-form';
import { refreshIntegrations } from '@/features/integrations/queries';
import { EmailUnverifiedHint, useEmailUnverified } from '@/features/recovery/email-unverified-hint';
import {
  api,
  type CredentialField,
  type InDoubtPolicy,
  type Integration,
  type IntegrationPlatform,
} from '@/lib/api';
import { toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

interface IntegrationDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  platform: IntegrationPlatform;
  /** The account to edit; absent to connect a new one. */
  integration?: Integration | null;
}

export function IntegrationDialog({ open, onOpenChange, platform, integration }: IntegrationDialogProps) {
  const [pending, setPending] = React.useState(false);
  // Escape, the backdrop and ×: the form inside decides, since it knows whether something was typed.
  const closeRequest = React.useRef<(() => void) | null>(null);
  const requestClose = React.useCallback(
    (next: boolean) => {
      if (next) onOpenChange(true);
      else if (closeRequest.current) closeRequest.current();
      else onOpenChange(false);
    },
    [onOpenChange],
  );
  const close = React.useCallback(() => onOpenChange(false), [onOpenChange]);
  return (
    <Dialog open={open} onOpenChange={requestClose} dismissible={!pending}>
      <IntegrationForm
        platform={platform}
        integration={integration ?? null}
        onPendingChange={setPending}
        closeRequest={closeRequest}
        onDone={close}
      />
      <DialogCloseButton disabled={pending} />
    </Dialog>
  );
}

/** What each policy for replies in doubt promises, under the choice. */
const IN_DOUBT_POLICY_HINTS: Record<InDoubtPolicy, string> = {
  resend:
    'If the server stops while a reply is on its way, the reply is sent again: nobody misses an answer, but a person may get it twice (Discord channel messages are deduplicated).',
  hold: 'If the server stops while a reply is on its way, the reply is held “in doubt” in Operations for you to resend or discard: never sent twice, but it may not arrive until you do.',
};

function IntegrationForm({
  platform,
  integration,
  onPendingChange,
  closeRequest,
  onDone,
}: {
  platform: IntegrationPlatform;
  integration: Integration | null;
  onPendingChange: (pending: boolean) => void;
  /** Set to what closing the dialog does: with something typed, ask first. */
  closeRequest: React.MutableRefObject<(() => void) | null>;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = React.useState(integration?.name ?? '');
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [policy, setPolicy] = React.useState<InDoubtPolicy>(integration?.in_doubt_policy ?? 'resend');
  const [errors, setErrors] = React.useState<FormErrors>({});
  const [alert, setAlert] = React.useState<string | null>(null);
  // Connecting a new account waits for a verified address; editing one does not.
  const unverified = useEmailUnverified() && !integration;
  const dirty =
    name.trim() !== (integration?.name ?? '').trim() ||
    Object.values(values).some((value) => value !== '') ||
    (integration !== null && policy !== (integration.in_doubt_policy ?? 'resend'));
  const { confirmDiscard } = useUnsavedChangesGuard(dirty);
  const requestClose = React.useCallback(() => confirmDiscard(onDone), [confirmDiscard, onDone]);
  // A layout effect, so that an Escape right after typing already asks.
  React.useLayoutEffect(() => {
    closeRequest.current = requestClose;
    return () => {
      closeRequest.current = null;
    };
  }, [closeRequest, requestClose]);
  const save = useMutation({
    mutationFn: () => {
      const credentials = typedCredentials(platform.fields, values);
      if (!integration)
        return api.integrations.create({ platform: platform.platform, name: name.trim(), credentials });
      return api.integrations.update(integration.id, {
        name: name.trim(),
        ...(policy !== (integration.in_doubt_policy ?? 'resend') ? { in_doubt_policy: policy } : {}),
        ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
      });
    },
    meta: { inlineError: true },
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: async (saved) => {
      // Forget what was typed before anything else renders: the secrets leave memory with the form.
      setValues({});
      await refreshIntegrations(queryClient);
      toast.success(`“${saved.name}” saved`, {
        description:
          saved.status === 'unverified'
            ? `Verify it to check the credentials with ${platform.name}.`
            : undefined,
      });
      onDone();
    },
    onError: (failure) => {
      const { fieldErrors, rest } = serverErrors(failure, platform.fields);
      setErrors(fieldErrors);
      // Beside Save and in a toast: that fields need attention, and what has no field of its own
      // (a 403, a 500, an unknown field).
      const fieldsShown = Object.keys(fieldErrors).length > 0;
      const message = [fieldsShown ? 'Some fields need attention.' : failure.message, ...rest].join(' ');
      setAlert(message);
      toastSaveFailure(integration ? 'Changes not saved' : 'Not connected', failure, fieldsShown, message);
    },
  });

  const clearError = (key: string) => {
    if (errors[key]) setErrors(({ [key]: _, ...others }) => others);
  };

  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        const found = validateCredentials(platform.fields, name, values, integration?.credentials);
        setErrors(found);
        setAlert(null);
        if (Object.keys(found).length === 0) save.mutate();
      }}
    >
      <DialogHeader>
        <DialogTitle>{integration ? `Edit “${integration.name}”` : `Connect ${platform.name}`}</DialogTitle>
        <DialogDescription>
          {integration
            ? 'Saved values are never shown again. Leave a field blank to keep the stored value; changing a credential sets the account back to unverified until you verify it.'
            : `Switchboard stores these encrypted and never shows them again. After saving, verify the account to check them with ${platform.name}.`}
        </DialogDescription>
      </DialogHeader>
      <Field
        id="integration-name"
        label="Name"
        error={errors.name}
        hint="Yours to choose, e.g. “Support bot” or “Shop number”."
      >
        <Input
          {...fieldControlProps('integration-name', errors.name)}
          autoFocus
          autoComplete="off"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            clearError('name');
          }}
        />
      </Field>
      {platform.fields.map((field) => (
        <CredentialInput
          key={field.name}
          field={field}
          stored={maskedHint(integration?.credentials[field.name])}
          value={values[field.name] ?? ''}
          error={errors[credentialKey(field.name)]}
          onChange={(value) => {
            setValues((current) => ({ ...current, [field.name]: value }));
            clearError(credentialKey(field.name));
          }}
        />
      ))}
      {integration ? (
        <Field
          id="integration-in-doubt-policy"
          label="Replies in doubt after a crash"
          error={errors.in_doubt_policy}
          hint={IN_DOUBT_POLICY_HINTS[policy]}
        >
          <NativeSelect
            {...fieldControlProps('integration-in-doubt-policy', errors.in_doubt_policy)}
            value={policy}
            onChange={(event) => {
              setPolicy(event.target.value as InDoubtPolicy);
              clearError('in_doubt_policy');
            }}
          >
            <option value="resend">Send again (at least once; may duplicate)</option>
            <option value="hold">Hold for review (at most once; may drop)</option>
          </NativeSelect>
        </Field>
      ) : null}
      {unverified && !alert ? <EmailUnverifiedHint action="connect platforms" /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={requestClose} disabled={save.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending || unverified}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          {integration ? 'Save changes' : 'Save'}
        </Button>
        {/* Last in the markup: above the buttons on a phone, left of them on a wider screen. */}
        <SaveFailure
          error={alert ? save.error : null}
          paused={save.isPaused}
          message={alert ?? undefined}
          className="sm:order-first sm:mr-auto sm:self-center"
        />
      </DialogFooter>
    </form>
  );
}

function CredentialInput({
  field,
  stored,
  value,
  error,
  onChange,
}: {
  field: CredentialField;
  /** "•••• abcd" when a value is stored (editing), else null. */
  stored: string | null;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const id = `integration-field-${field.name}`;
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>
        {field.label}
        {!field.required && !stored ? (
          <span className="font-normal text-muted-foreground"> (optional)</span>
        ) : null}
      </Label>
      <Input
        {...fieldControlProps(id, error)}
        type={field.secret ? 'password' : 'text'}
        // Not the user's own password: keep browsers and password managers from saving or filling it.
        autoComplete="off"
        data-1p-ignore
        data-lpignore="true"
        spellCheck={false}
        className="font-mono text-xs"
        placeholder={stored ?? field.placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <p id={`${id}-error`} className="text-[0.8rem] font-medium text-destructive">
          {error}
        </p>
      ) : null}
      {stored ? (
        <p className="text-[0.8rem] text-muted-foreground">
          Stored: <span className="font-mono">{stored}</span>. Leave blank to keep it.
        </p>
      ) : null}
      {field.help ? <p className="text-[0.8rem] text-muted-foreground">{field.help}</p> : null}
    </div>
  );
}
