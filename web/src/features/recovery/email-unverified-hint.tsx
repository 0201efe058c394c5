// Inside the forms that wait for a verified address (invite, connect a platform, create an API key):
// says why the action is not available yet and points at the banner's "Send again".
import { useQuery } from '@tanstack/react-query';
import { MailWarning } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { sessionQuery } from '@/features/auth/session';

/**
 * Whether the signed-in user's address is known to be unverified. Reads the session the app already
 * holds and never fetches it, so forms outside the signed-in app (and their tests) are not affected.
 */
export function useEmailUnverified(): boolean {
  const session = useQuery({ ...sessionQuery, enabled: false });
  return session.data?.user.email_verified === false;
}

export function EmailUnverifiedHint({ action }: { action: string }) {
  return (
    <Alert variant="warning">
      <MailWarning />
      <span>
        <span className="font-medium">Verify your email address to {action}.</span> Open the link we mailed
        you, or use “Send again” in the banner at the top of the page.
      </span>
    </Alert>
  );
}
