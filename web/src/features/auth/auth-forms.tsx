// The sign-in and sign-up forms, shared by /auth and the invitation page. Signing in asks for a
// second factor when the account has one (features/two-factor).
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { Info, Loader2, TimerReset } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router-dom';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import {
  MIN_PASSWORD_LENGTH,
  signInSchema,
  signUpSchema,
  type SignInValues,
  type SignUpValues,
} from '@/features/auth/schemas';
import { TwoFactorSignInStep } from '@/features/two-factor/two-factor-sign-in-step';
import { api, isApiError, isTwoFactorChallenge, type Session, type TwoFactorChallenge } from '@/lib/api';
import { applyServerFieldErrors } from '@/lib/forms';
import { formatWait } from '@/lib/utils';

interface AuthFormProps {
  onSignedIn: (session: Session) => void;
  /** Pre-fills the email (an invitation's address). */
  defaultEmail?: string;
  /** The email cannot be changed (sign-up through an invitation, which is tied to its address). */
  lockEmail?: boolean;
  submitLabel?: string;
  /** Sign-up through an invitation: its token, so the account starts with a verified address. */
  inviteToken?: string;
}

export function SignInForm({ onSignedIn, defaultEmail = '', submitLabel = 'Sign in' }: AuthFormProps) {
  const form = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: defaultEmail, password: '' },
  });
  // The password was right and the account asks for a code: the second step replaces the form.
  const [challenge, setChallenge] = React.useState<TwoFactorChallenge | null>(null);
  // Why the person is back at the password (a challenge the server no longer accepts).
  const [notice, setNotice] = React.useState('');
  const signIn = useMutation({
    mutationFn: api.auth.signIn,
    onSuccess: (answer) => {
      if (isTwoFactorChallenge(answer)) {
        setNotice('');
        setChallenge(answer);
      } else {
        onSignedIn(answer);
      }
    },
    onError: (error) => applyServerFieldErrors(error, form.setError, ['email', 'password']),
  });
  const { errors } = form.formState;
  const rateLimited = isApiError(signIn.error, 429) ? signIn.error : null;

  if (challenge) {
    return (
      <TwoFactorSignInStep
        challenge={challenge}
        onSignedIn={onSignedIn}
        onRestart={(message) => {
          setChallenge(null);
          signIn.reset();
          setNotice(message);
          form.resetField('password');
        }}
      />
    );
  }

  return (
    <form noValidate className="grid gap-4" onSubmit={form.handleSubmit((values) => signIn.mutate(values))}>
      {notice ? (
        <Alert variant="warning">
          <Info />
          <span>{notice}</span>
        </Alert>
      ) : null}
      {rateLimited ? (
        <Alert variant="warning">
          <TimerReset />
          <span>
            {rateLimited.message}{' '}
            {rateLimited.retryAfter ? `Try again in ${formatWait(rateLimited.retryAfter)}.` : null}
          </span>
        </Alert>
      ) : null}
      <Field id="signin-email" label="Email" error={errors.email?.message}>
        <Input
          {...fieldControlProps('signin-email', errors.email?.message)}
          type="email"
          autoComplete="email"
          placeholder="you@company.com"
          {...form.register('email')}
        />
      </Field>
      <Field
        id="signin-password"
        label="Password"
        error={errors.password?.message}
        labelAction={<ForgotPasswordLink email={form.watch('email')} />}
      >
        <Input
          {...fieldControlProps('signin-password', errors.password?.message)}
          type="password"
          autoComplete="current-password"
          {...form.register('password')}
        />
      </Field>
      <Button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? <Loader2 className="animate-spin" /> : null}
        {submitLabel}
      </Button>
    </form>
  );
}

/** To /forgot-password, with the address typed so far. */
function ForgotPasswordLink({ email }: { email: string }) {
  const typed = email.trim();
  return (
    <Link
      to={typed ? `/forgot-password?email=${encodeURIComponent(typed)}` : '/forgot-password'}
      className="text-sm font-medium text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
    >
      Forgot password?
    </Link>
  );
}

export function SignUpForm({
  onSignedIn,
  defaultEmail = '',
  lockEmail = false,
  submitLabel = 'Create account',
  inviteToken,
}: AuthFormProps) {
  const form = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: '', email: defaultEmail, password: '' },
  });
  const signUp = useMutation({
    mutationFn: (values: SignUpValues) =>
      api.auth.signUp(inviteToken ? { ...values, invite_token: inviteToken } : values),
    onSuccess: onSignedIn,
    onError: (error) => applyServerFieldErrors(error, form.setError, ['name', 'email', 'password']),
  });
  const { errors } = form.formState;

  return (
    <form noValidate className="grid gap-4" onSubmit={form.handleSubmit((values) => signUp.mutate(values))}>
      <Field id="signup-name" label="Name" error={errors.name?.message}>
        <Input
          {...fieldControlProps('signup-name', errors.name?.message)}
          autoComplete="name"
          placeholder="Ada Lovelace"
          {...form.register('name')}
        />
      </Field>
      <Field id="signup-email" label="Work email" error={errors.email?.message}>
        <Input
          {...fieldControlProps('signup-email', errors.email?.message)}
          type="email"
          autoComplete="email"
          placeholder="you@company.com"
          readOnly={lockEmail}
          className={lockEmail ? 'bg-muted/50 text-muted-foreground' : undefined}
          {...form.register('email')}
        />
      </Field>
      <Field
        id="signup-password"
        label="Password"
        error={errors.password?.message}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
      >
        <Input
          {...fieldControlProps('signup-password', errors.password?.message)}
          type="password"
          autoComplete="new-password"
          {...form.register('password')}
        />
      </Field>
      <Button type="submit" disabled={signUp.isPending}>
        {signUp.isPending ? <Loader2 className="animate-spin" /> : null}
        {submitLabel}
      </Button>
    </form>
  );
}
