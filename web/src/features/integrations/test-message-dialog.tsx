// "Send test message": a recipient and a text sent through the real send path, and the platform's
// answer in its own words.
import * as React from 'react';
import { useMutation } from '@tanstack/react-query';
import { CircleCheck, CircleX, Loader2, Send } from 'lucide-react';
import { ErrorAlert } from '@/components/confirm-dialog';
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
import { Textarea } from '@/components/ui/textarea';
import { lowerFirst } from '@/features/integrations/credentials-form';
import { platformMeta } from '@/features/integrations/platform-meta';
import { api, isApiError, type Integration, type TestMessageAnswer } from '@/lib/api';

interface TestMessageDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  integration: Integration;
  platformName: string;
}

export function TestMessageDialog({ open, onOpenChange, integration, platformName }: TestMessageDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <TestMessageForm
        integration={integration}
        platformName={platformName}
        onClose={() => onOpenChange(false)}
      />
      <DialogCloseButton />
    </Dialog>
  );
}

function TestMessageForm({
  integration,
  platformName,
  onClose,
}: {
  integration: Integration;
  platformName: string;
  onClose: () => void;
}) {
  const meta = platformMeta(integration.platform, platformName);
  const [recipient, setRecipient] = React.useState('');
  const [text, setText] = React.useState('Hello from Switchboard! This is a test message.');
  const [errors, setErrors] = React.useState<{ recipient?: string; text?: string }>({});
  const send = useMutation({
    mutationFn: () =>
      api.integrations.sendTestMessage(integration.id, { recipient: recipient.trim(), text: text.trim() }),
    meta: { inlineError: true },
    onError: (failure) => {
      if (isApiError(failure)) setErrors({ recipient: failure.fields.recipient, text: failure.fields.text });
    },
  });
  const fieldError = isApiError(send.error) && (send.error.fields.recipient || send.error.fields.text);

  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        const found = {
          recipient: recipient.trim() === '' ? `Enter the ${lowerFirst(meta.recipientLabel)}.` : undefined,
          text: text.trim() === '' ? 'Enter a message.' : undefined,
        };
        setErrors(found);
        if (!found.recipient && !found.text) send.mutate();
      }}
    >
      <DialogHeader>
        <DialogTitle>Send a test message</DialogTitle>
        <DialogDescription>
          Sent through “{integration.name}” on {platformName} exactly as a bot’s reply would be.
        </DialogDescription>
      </DialogHeader>
      <Field
        id="test-recipient"
        label={meta.recipientLabel}
        error={errors.recipient}
        hint={meta.recipientHint || undefined}
      >
        <Input
          {...fieldControlProps('test-recipient', errors.recipient)}
          autoFocus
          autoComplete="off"
          className="font-mono text-xs"
          placeholder={meta.recipientPlaceholder}
          value={recipient}
          onChange={(event) => {
            setRecipient(event.target.value);
            setErrors((current) => ({ ...current, recipient: undefined }));
          }}
        />
      </Field>
      <Field id="test-text" label="Message" error={errors.text}>
        <Textarea
          {...fieldControlProps('test-text', errors.text)}
          rows={3}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setErrors((current) => ({ ...current, text: undefined }));
          }}
        />
      </Field>
      {send.data ? <PlatformAnswerAlert answer={send.data} platformName={platformName} /> : null}
      {send.error && !fieldError ? <ErrorAlert error={send.error} /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Close
        </Button>
        <Button type="submit" disabled={send.isPending}>
          {send.isPending ? <Loader2 className="animate-spin" /> : <Send />}
          {send.isPending ? 'Sending…' : send.data ? 'Send again' : 'Send'}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Whether the platform accepted the message, with what it said and its HTTP status. */
export function PlatformAnswerAlert({
  answer,
  platformName,
  okTitle = 'Sent',
}: {
  answer: Pick<TestMessageAnswer, 'ok' | 'message' | 'http_status'> & { platform_message_id?: string | null };
  platformName: string;
  okTitle?: string;
}) {
  const failTitle = answer.http_status ? `Failed: ${platformName} refused it` : 'Failed';
  const status = answer.http_status ? ` (HTTP ${answer.http_status})` : '';
  return (
    <Alert
      role="status"
      className={answer.ok ? 'border-emerald-200 bg-emerald-50 text-emerald-900' : undefined}
      variant={answer.ok ? 'default' : 'destructive'}
    >
      {answer.ok ? <CircleCheck className="text-emerald-600" /> : <CircleX />}
      <span>
        <span className="font-medium">
          {answer.ok ? okTitle : failTitle}
          {status}.
        </span>{' '}
        {answer.message}
        {answer.ok && answer.platform_message_id ? (
          <span className="block font-mono text-xs opacity-80">Message id {answer.platform_message_id}</span>
        ) : null}
      </span>
    </Alert>
  );
}
