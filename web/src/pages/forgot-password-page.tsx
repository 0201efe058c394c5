// /forgot-password: asks for the account's email address and mails it a link to choose a new
// password. The answer is the same whether or not an account uses the address.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { ArrowLeft, Loader2, MailCheck } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '@/components/confirm-dialog';
import { AuthHeading, AuthLayout } from '@/components/layout/auth-layout';
import { useDocumentTitle } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { recoveryApi } from '@/features/recovery/api';
import { RateLimitedAlert } from '@/features/recovery/rate-limited-alert';
import { forgotPasswordSchema, type ForgotPasswordValues } from '@/features/recovery/schemas';
import { isApiError } from '@/lib/api';
import { applyServerFieldErrors } from '@/lib/forms';

export function ForgotPasswordPage() {
  useDocumentTitle('Forgot password');
  const [params] = useSearchParams();
  const form = useForm<ForgotPasswordValues>({
    resolver: zodResolver(forgotPasswordSchema),
    defaultValues: { email: params.get('email') ?? '' },
  });
  const send = useMutation({
    mutationFn: (values: ForgotPasswordValues) => recoveryApi.requestPasswordReset(values.email),
    meta: { inlineError: true },
    onError: (error) => applyServerFieldErrors(error, form.setError, ['email']),
  });
  const { errors } = form.formState;
  const rateLimited = isApiError(send.error, 429) ? send.error : null;
  const otherError =
    send.error && !rateLimited && !(isApiError(send.error, 422) && send.error.fields.email)
      ? send.error
      : null;

  if (send.isSuccess) {
    return (
      <AuthLayout>
        <div className="flex size-11 items-center justify-center rounded-full bg-emerald-50 text-emerald-600">
          <MailCheck className="size-5" />
        </div>
        <AuthHeading title="Check your email" description={send.data.message} />
        <p className="text-sm text-muted-foreground">
          We sent it to <span className="font-medium text-foreground">{send.variables.email}</span> if an
          account uses that address. No mail after a few minutes? Look in your spam folder, or try another
          address.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button asChild>
            <Link to="/auth">Back to sign in</Link>
          </Button>
          <Button variant="outline" onClick={() => send.reset()}>
            Use another address
          </Button>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout>
      <AuthHeading
        title="Forgot your password?"
        description="Enter the email address you sign in with. We will mail you a link to choose a new password."
      />
      <form noValidate className="grid gap-4" onSubmit={form.handleSubmit((values) => send.mutate(values))}>
        {rateLimited ? <RateLimitedAlert error={rateLimited} /> : null}
        {otherError ? <ErrorAlert error={otherError} /> : null}
        <Field id="forgot-email" label="Email" error={errors.email?.message}>
          <Input
            {...fieldControlProps('forgot-email', errors.email?.message)}
            type="email"
            autoComplete="email"
            autoFocus
            placeholder="you@company.com"
            {...form.register('email')}
          />
        </Field>
        <Button type="submit" disabled={send.isPending}>
          {send.isPending ? <Loader2 className="animate-spin" /> : null}
          Send reset link
        </Button>
      </form>
      <Button asChild variant="ghost" size="sm" className="-ml-3">
        <Link to="/auth">
          <ArrowLeft />
          Back to sign in
        </Link>
      </Button>
    </AuthLayout>
  );
}
