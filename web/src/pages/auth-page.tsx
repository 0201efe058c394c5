// /auth: sign in and sign up, then back to the page the user came from (?next=).
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useSearchParams } from 'react-router-dom';
import { AuthHeading, AuthLayout } from '@/components/layout/auth-layout';
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
    <AuthLayout>
      <AuthHeading
        title={tab === 'signup' ? 'Create your account' : 'Welcome back'}
        description={
          tab === 'signup'
            ? 'Start with a free organization of your own.'
            : 'Sign in to manage your bots and organization.'
        }
      />
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
    </AuthLayout>
  );
}
