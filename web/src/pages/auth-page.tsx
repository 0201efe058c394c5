// /auth: sign in and sign up, then back to the page the user came from (?next=).
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, TimerReset } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { Navigate, useSearchParams } from 'react-router-dom';
import { Logo } from '@/components/layout/logo';
import { useDocumentTitle } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { safeNext, useSession } from '@/features/auth/session';
import {
  MIN_PASSWORD_LENGTH,
  signInSchema,
  signUpSchema,
  type SignInValues,
  type SignUpValues,
} from '@/features/auth/schemas';
import { api, isApiError, type Session } from '@/lib/api';
import { applyServerFieldErrors } from '@/lib/forms';
import { sessionKey } from '@/lib/query-client';
import { formatWait } from '@/lib/utils';

export function AuthPage() {
  const [params, setParams] = useSearchParams();
  const session = useSession();
  const tab = params.get('tab') === 'signup' ? 'signup' : 'signin';
  useDocumentTitle(tab === 'signup' ? 'Sign up' : 'Sign in');

  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const selectTab = (value: string) =>
    setParams(
      (current) => {
        current.set('tab', value);
        return current;
      },
      { replace: true },
    );

  return (
    <div className="grid min-h-screen lg:grid-cols-2">
      <aside className="hidden flex-col justify-between bg-zinc-950 p-10 text-zinc-100 lg:flex">
        <Logo inverted />
        <div className="max-w-md space-y-4">
          <p className="text-3xl font-semibold leading-tight tracking-tight">
            One bot. Every channel your customers use.
          </p>
          <p className="text-zinc-400">
            Build AI chatbots once and run them on WhatsApp, Telegram, Slack, Messenger, Discord, SMS and your
            own website — on a server you control.
          </p>
        </div>
        <p className="text-sm text-zinc-500">Self-hosted · Open standards · Your data stays yours</p>
      </aside>

      <main className="flex items-center justify-center p-6">
        <div className="w-full max-w-sm space-y-6">
          <div className="lg:hidden">
            <Logo />
          </div>
          <div className="space-y-1">
            <h1 className="text-2xl font-semibold tracking-tight">
              {tab === 'signup' ? 'Create your account' : 'Welcome back'}
            </h1>
            <p className="text-sm text-muted-foreground">
              {tab === 'signup'
                ? 'Start with a free organization of your own.'
                : 'Sign in to manage your bots and organization.'}
            </p>
          </div>
          <Tabs value={tab} onValueChange={selectTab}>
            <TabsList className="w-full">
              <TabsTrigger value="signin">Sign in</TabsTrigger>
              <TabsTrigger value="signup">Sign up</TabsTrigger>
            </TabsList>
            <TabsContent value="signin">
              <SignInForm />
            </TabsContent>
            <TabsContent value="signup">
              <SignUpForm />
            </TabsContent>
          </Tabs>
        </div>
      </main>
    </div>
  );
}

function useSignedIn() {
  const queryClient = useQueryClient();
  return (session: Session) => queryClient.setQueryData(sessionKey, session);
}

function SignInForm() {
  const onSignedIn = useSignedIn();
  const form = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: '', password: '' },
  });
  const signIn = useMutation({
    mutationFn: api.auth.signIn,
    onSuccess: onSignedIn,
    onError: (error) => applyServerFieldErrors(error, form.setError, ['email', 'password']),
  });
  const { errors } = form.formState;
  const rateLimited = isApiError(signIn.error, 429) ? signIn.error : null;

  return (
    <form noValidate className="grid gap-4" onSubmit={form.handleSubmit((values) => signIn.mutate(values))}>
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
      <Field id="signin-password" label="Password" error={errors.password?.message}>
        <Input
          {...fieldControlProps('signin-password', errors.password?.message)}
          type="password"
          autoComplete="current-password"
          {...form.register('password')}
        />
      </Field>
      <Button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? <Loader2 className="animate-spin" /> : null}
        Sign in
      </Button>
    </form>
  );
}

function SignUpForm() {
  const onSignedIn = useSignedIn();
  const form = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: '', email: '', password: '' },
  });
  const signUp = useMutation({
    mutationFn: api.auth.signUp,
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
        Create account
      </Button>
    </form>
  );
}
