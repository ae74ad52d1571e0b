import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './http.ts';
import { forgetSession, meKey } from '../features/auth/session.ts';

function sessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated';
}

/** One client for the app; a 401 `unauthenticated` anywhere sends the user back to the sign-in page. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (sessionEnded(error) && query.queryKey[0] !== meKey[0]) forgetSession(client);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (sessionEnded(error)) forgetSession(client);
        // The session was rotated elsewhere (e.g. password changed in another tab): fetch the new CSRF token.
        else if (error instanceof ApiError && error.code === 'csrf_failed')
          void client.invalidateQueries({ queryKey: meKey });
      },
    }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
  return client;
}
