// /auth: sign in and sign up, then back to the page the user came from (?next=).
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useSearchParams } from 'react-router-dom';
import { Logo } from '@/components/layout/logo';
import { useDocumentTitle } from '@/components/layout/page-header';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { SignInForm, SignUpForm } from '@/features/auth/auth-forms';
import { safeNext, useSession } from '@/features/auth/session';
import type { Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

export function AuthPage() {
  const [params, setParams] = useSearchParams();
  const session = useSession();
  const queryClient = useQueryClient();
  const onSignedIn = (signedIn: Session) => queryClient.setQueryData(sessionKey, signedIn);
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
              <SignInForm onSignedIn={onSignedIn} />
            </TabsContent>
            <TabsContent value="signup">
              <SignUpForm onSignedIn={onSignedIn} />
            </TabsContent>
          </Tabs>
        </div>
      </main>
    </div>
  );
}
