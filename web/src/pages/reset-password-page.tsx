// /reset-password?token=…: the page behind the link of a password-reset mail. Says which account the
// link is for, asks for the new password twice (and a code when the account has two-factor
// sign-in), then signs this browser in; every other session of the account ends.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link2Off, Loader2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { toast } from 'sonner';
import { ErrorAlert } from '@/components/confirm-dialog';
import { AuthHeading, AuthLayout } from '@/components/layout/auth-layout';
import { useDocumentTitle } from '@/components/layout/page-header';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { MIN_PASSWORD_LENGTH } from '@/features/auth/schemas';
import { recoveryApi, type PasswordResetLink } from '@/features/recovery/api';
import { adoptNewSession, usePasswordResetLink } from '@/features/recovery/queries';
import { RateLimitedAlert } from '@/features/recovery/rate-limited-alert';
import {
  normalizeResetCode,
  resetPasswordSchema,
  resetPasswordWithCodeSchema,
  type ResetPasswordValues,
} from '@/features/recovery/schemas';
import { CodeInput } from '@/features/two-factor/code-input';
import { isApiError } from '@/lib/api';
import { applyServerFieldErrors } from '@/lib/forms';

export const PASSWORD_RESET_NOTICE = 'Your password was changed.';
export const PASSWORD_RESET_NOTICE_DETAIL = 'Every other session was signed out.';

const LINK_INVALID = 'reset_link_invalid';

export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const link = usePasswordResetLink(token);
  // The link stopped working between loading the page and sending the form.
  const [usedUp, setUsedUp] = React.useState(false);

  let body: React.ReactNode;
  if (!token || usedUp || (isApiError(link.error, 400) && link.error.code === LINK_INVALID)) {
    body = <InvalidLink message={isApiError(link.error) ? link.error.message : undefined} />;
  } else if (link.isPending) {
    body = <ResetSkeleton />;
  } else if (link.isError) {
    body = <ErrorState title="Could not check this link" error={link.error} onRetry={() => link.refetch()} />;
  } else {
    body = <ResetForm token={token} link={link.data} onLinkInvalid={() => setUsedUp(true)} />;
  }
  return <AuthLayout>{body}</AuthLayout>;
}

function ResetForm({
  token,
  link,
  onLinkInvalid,
}: {
  token: string;
  link: PasswordResetLink;
  onLinkInvalid: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The server may ask for a code the link did not announce (two-factor turned on meanwhile).
  const [askCode, setAskCode] = React.useState(link.two_factor_required);
  // The rules follow whether the code is asked for; the form keeps what was typed when that changes.
  const askCodeRef = React.useRef(askCode);
  askCodeRef.current = askCode;
  const form = useForm<ResetPasswordValues>({
    resolver: (values, context, options) =>
      zodResolver(askCodeRef.current ? resetPasswordWithCodeSchema : resetPasswordSchema)(
        values,
        context,
        options,
      ),
    defaultValues: { new_password: '', confirm_password: '', code: '' },
  });
  const complete = useMutation({
    mutationFn: ({ new_password, code }: ResetPasswordValues) =>
      recoveryApi.completePasswordReset({
        token,
        new_password,
        ...(askCode ? { code: normalizeResetCode(code) } : {}),
      }),
    meta: { inlineError: true },
    onSuccess: (session) => {
      adoptNewSession(queryClient, session);
      navigate('/', { replace: true });
      toast.success(PASSWORD_RESET_NOTICE, { description: PASSWORD_RESET_NOTICE_DETAIL });
    },
    onError: (error) => {
      if (isApiError(error, 400) && error.code === LINK_INVALID) return onLinkInvalid();
      if (isApiError(error, 422) && error.fields.code) setAskCode(true);
      applyServerFieldErrors(error, form.setError, ['new_password', 'code']);
      if (isApiError(error, 422) && error.fields.code) form.setFocus('code');
    },
  });
  const { errors } = form.formState;
  const rateLimited = isApiError(complete.error, 429) ? complete.error : null;
  const fieldError = isApiError(complete.error, 422) && Object.keys(complete.error.fields).length > 0;
  const otherError = complete.error && !rateLimited && !fieldError ? complete.error : null;

  return (
    <>
      <AuthHeading
        title="Choose a new password"
        description={
          <>
            For <span className="font-medium text-foreground">{link.email}</span>. Every other session of this
            account will be signed out.
          </>
        }
      />
      <form
        noValidate
        className="grid gap-4"
        onSubmit={form.handleSubmit((values) => complete.mutate(values))}
      >
        {rateLimited ? <RateLimitedAlert error={rateLimited} /> : null}
        {otherError ? <ErrorAlert error={otherError} /> : null}
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" autoComplete="username" value={link.email} readOnly hidden />
        <Field
          id="reset-new-password"
          label="New password"
          error={errors.new_password?.message}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        >
          <Input
            {...fieldControlProps('reset-new-password', errors.new_password?.message)}
            type="password"
            autoComplete="new-password"
            autoFocus
            {...form.register('new_password')}
          />
        </Field>
        <Field
          id="reset-confirm-password"
          label="Confirm new password"
          error={errors.confirm_password?.message}
        >
          <Input
            {...fieldControlProps('reset-confirm-password', errors.confirm_password?.message)}
            type="password"
            autoComplete="new-password"
            {...form.register('confirm_password')}
          />
        </Field>
        {askCode ? (
          <Field
            id="reset-code"
            label="Authentication code"
            error={errors.code?.message}
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          >
            <CodeInput
              {...fieldControlProps('reset-code', errors.code?.message)}
              recovery
              autoComplete="one-time-code"
              placeholder="123456"
              {...form.register('code')}
            />
          </Field>
        ) : null}
        <Button type="submit" disabled={complete.isPending}>
          {complete.isPending ? <Loader2 className="animate-spin" /> : null}
          Change password and sign in
        </Button>
      </form>
    </>
  );
}

function InvalidLink({ message }: { message?: string }) {
  return (
    <div className="flex flex-col items-start gap-4">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <Link2Off className="size-5" />
      </div>
      <AuthHeading
        title="This link no longer works"
        description={message ?? 'This link has expired or was already used. Ask for a new one.'}
      />
      <p className="text-sm text-muted-foreground">
        A link to choose a new password works once, for 30 minutes. Ask for a new one and use the latest mail.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button asChild>
          <Link to="/forgot-password">Ask for a new link</Link>
        </Button>
        <Button asChild variant="outline">
          <Link to="/auth">Back to sign in</Link>
        </Button>
      </div>
    </div>
  );
}

function ResetSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Checking the link">
      <div className="space-y-2">
        <Skeleton className="h-8 w-60" />
        <Skeleton className="h-4 w-72" />
      </div>
      <div className="space-y-4">
        <Skeleton className="h-14 w-full" />
        <Skeleton className="h-14 w-full" />
        <Skeleton className="h-9 w-full" />
      </div>
    </div>
  );
}
