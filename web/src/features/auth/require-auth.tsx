// Route guard: renders its children for a signed-in user, sends everyone else to /auth?next=<path>.
import * as React from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '@/features/auth/session';
import { ErrorState } from '@/components/states';
import { Skeleton } from '@/components/ui/skeleton';

export function RequireAuth({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();

  if (session.isPending) return <BootSkeleton />;
  if (session.isError) {
    return (
      <div className="mx-auto max-w-md p-6 pt-24">
        <ErrorState
          title="Could not reach Switchboard"
          error={session.error}
          onRetry={() => session.refetch()}
        />
      </div>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search + location.hash;
    return <Navigate to={`/auth?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

function BootSkeleton() {
  return (
    <div className="flex min-h-screen" aria-busy="true" aria-label="Loading">
      <div className="hidden w-60 border-r bg-muted/30 p-4 md:block">
        <Skeleton className="h-8 w-36" />
        <div className="mt-8 space-y-2">
          <Skeleton className="h-7 w-full" />
          <Skeleton className="h-7 w-full" />
        </div>
      </div>
      <div className="flex-1">
        <div className="h-14 border-b" />
        <div className="space-y-4 p-8">
          <Skeleton className="h-8 w-64" />
          <Skeleton className="h-32 w-full max-w-3xl" />
        </div>
      </div>
    </div>
  );
}
