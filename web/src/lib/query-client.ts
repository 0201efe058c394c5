// The TanStack Query client: retry rules, the global 401 handling and error toasts for mutations.
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { isApiError, isPlanError } from '@/lib/api';
import { formatWait } from '@/lib/utils';

export const sessionKey = ['session'] as const;

function errorToast(error: unknown) {
  if (isApiError(error)) {
    toast.error(error.message, {
      description: error.retryAfter ? `Try again in ${formatWait(error.retryAfter)}.` : undefined,
    });
  } else {
    toast.error('Something went wrong', {
      description: error instanceof Error ? error.message : undefined,
    });
  }
}

export function createQueryClient() {
  // An expired session anywhere sends the user back to sign in (the route guard watches the session).
  const onError = (error: unknown) => {
    if (isApiError(error, 401) && error.code === 'unauthenticated') {
      client.setQueryData(sessionKey, null);
    }
    // The organisation began to require two-factor sign-in: the session says so, and the app shows the set-up.
    if (isApiError(error, 403) && error.code === 'two_factor_enrollment_required') {
      void client.invalidateQueries({ queryKey: sessionKey });
    }
    // Refused by the plan: the usage and limits shown (meters, banners, warnings) are out of date.
    if (isPlanError(error)) void client.invalidateQueries({ queryKey: ['billing'] });
    // The address is not verified (changed meanwhile): the session says so, and the app shows the banner.
    if (isApiError(error, 403) && error.code === 'email_unverified') {
      void client.invalidateQueries({ queryKey: sessionKey });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        onError(error);
        // A mutation whose form or dialog shows the error itself sets meta.inlineError.
        if (!mutation.meta?.inlineError) errorToast(error);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Retry only what may pass next time: network failures and server errors.
        retry: (failures, error) =>
          failures < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
      },
    },
  });
  return client;
}
