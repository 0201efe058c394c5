// "Email address" on the profile: the address you sign in with, whether it is verified, and a form
// to change it. Changing it asks for the password again when it was not proved recently (the app's
// reauthentication dialog), then mails a verification link to the new address.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, MailCheck } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { SaveFailure } from '@/components/save-failure';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useSignedInSession } from '@/features/auth/session';
import { profileKey } from '@/features/profile/queries';
import { recoveryApi } from '@/features/recovery/api';
import { emailChangeSchema, type EmailChangeValues } from '@/features/recovery/schemas';
import { applyServerFieldErrors, serverFieldsShown, toastSaveFailure } from '@/lib/forms';
import { sessionKey } from '@/lib/query-client';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

export function EmailCard() {
  const session = useSignedInSession();
  const queryClient = useQueryClient();
  const { email, email_verified: verified } = session.user;
  // The addresses of the last change, for the note that says where the mail went.
  const [changed, setChanged] = React.useState<{ from: string; to: string } | null>(null);
  const form = useForm<EmailChangeValues>({
    resolver: zodResolver(emailChangeSchema),
    defaultValues: { email: '' },
  });
  const change = useMutation({
    mutationFn: (values: EmailChangeValues) => recoveryApi.changeEmail(values.email),
    meta: { inlineError: true },
    onSuccess: (updated) => {
      setChanged({ from: email, to: updated.user.email });
      queryClient.setQueryData(sessionKey, updated);
      void queryClient.invalidateQueries({ queryKey: profileKey });
      form.reset();
      toast.success('Email address changed', {
        description: `We sent a verification link to ${updated.user.email}.`,
      });
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, ['email']);
      toastSaveFailure('Email address not changed', error, placed);
    },
  });
  const { errors, isDirty } = form.formState;
  useUnsavedChangesGuard(isDirty);

  return (
    <Card id="email" className="scroll-mt-20">
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setChanged(null);
          change.mutate(values);
        })}
      >
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Email address
            {verified === true ? (
              <Badge variant="green">Verified</Badge>
            ) : verified === false ? (
              <Badge variant="amber">Not verified</Badge>
            ) : null}
          </CardTitle>
          <CardDescription>
            You sign in with <span className="font-medium text-foreground">{email}</span>, and mail from
            Switchboard goes there.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          {changed && changed.to === email ? (
            <Alert>
              <MailCheck className="text-emerald-600" />
              <span>
                We sent a verification link to <span className="font-medium">{changed.to}</span>. Open it to
                verify the new address; until then you cannot invite teammates, connect platforms or create
                API keys. We also told {changed.from} about the change.
              </span>
            </Alert>
          ) : null}
          <Field
            id="new-email"
            label="New email address"
            error={errors.email?.message}
            hint="We will send a link to the new address to verify it."
          >
            <Input
              {...fieldControlProps('new-email', errors.email?.message)}
              type="email"
              autoComplete="email"
              placeholder="you@company.com"
              className="sm:max-w-sm"
              {...form.register('email')}
            />
          </Field>
        </CardContent>
        <CardFooter className="flex-wrap justify-end">
          <SaveFailure
            error={change.error} paused={change.isPaused}
            fieldsShown={serverFieldsShown(change.error, ['email'])}
            className="w-full sm:mr-auto sm:w-auto sm:flex-1"
          />
          <Button type="submit" disabled={change.isPending}>
            {change.isPending ? <Loader2 className="animate-spin" /> : null}
            Change email
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
