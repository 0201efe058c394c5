// The "Sessions" card of the profile page: where the user is signed in, with "Sign out" for each
// other session and "Sign out everywhere else".
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, LogOut, MonitorSmartphone } from 'lucide-react';
import { toast } from 'sonner';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { sessionsKey, useSessions } from '@/features/profile/queries';
import { api, type SessionInfo } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function SessionsCard() {
  const sessions = useSessions();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: sessionsKey });

  const revoke = useMutation({
    mutationFn: (session: SessionInfo) => api.auth.revokeSession(session.id),
    onSuccess: (_nothing, session) => {
      toast.success('Session signed out', { description: session.device });
      void refresh();
    },
  });
  const revokeOthers = useMutation({
    mutationFn: api.auth.revokeOtherSessions,
    onSuccess: () => {
      toast.success('Signed out everywhere else');
      void refresh();
    },
  });

  const others = sessions.data?.items.filter((session) => !session.current).length ?? 0;

  return (
    <Card id="sessions" className="scroll-mt-20">
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>The browsers and devices signed in to your account.</CardDescription>
      </CardHeader>
      <CardContent>
        {sessions.isPending ? (
          <div className="grid gap-3" aria-busy="true" aria-label="Loading sessions">
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : sessions.isError ? (
          <ErrorState
            title="Could not load your sessions"
            error={sessions.error}
            onRetry={() => sessions.refetch()}
          />
        ) : sessions.data.items.length === 0 ? (
          <EmptyState icon={MonitorSmartphone} title="No active sessions" />
        ) : (
          <ul className="divide-y rounded-lg border" aria-label="Sessions">
            {sessions.data.items.map((session) => (
              <li key={session.id} className="flex items-center gap-4 px-4 py-3">
                <MonitorSmartphone className="size-5 shrink-0 text-muted-foreground" aria-hidden />
                <div className="min-w-0 flex-1">
                  <p className="flex items-center gap-2 text-sm font-medium">
                    <span className="truncate" title={session.user_agent}>
                      {session.device}
                    </span>
                    {session.current ? <Badge variant="secondary">This browser</Badge> : null}
                  </p>
                  <p className="text-[0.8rem] text-muted-foreground">
                    {session.ip || 'Unknown address'} · signed in {formatDateTime(session.created_at)} · last
                    active{' '}
                    <span title={formatDateTime(session.last_seen_at)}>
                      {formatRelative(session.last_seen_at)}
                    </span>
                  </p>
                </div>
                {session.current ? null : (
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={`Sign out ${session.device}`}
                    disabled={revoke.isPending && revoke.variables?.id === session.id}
                    onClick={() => revoke.mutate(session)}
                  >
                    {revoke.isPending && revoke.variables?.id === session.id ? (
                      <Loader2 className="animate-spin" />
                    ) : null}
                    Sign out
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <CardFooter className="justify-end">
        <Button
          variant="outline"
          disabled={others === 0 || revokeOthers.isPending}
          onClick={() => revokeOthers.mutate()}
        >
          {revokeOthers.isPending ? <Loader2 className="animate-spin" /> : <LogOut />}
          Sign out everywhere else
        </Button>
      </CardFooter>
    </Card>
  );
}
