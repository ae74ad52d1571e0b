import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Me } from '../../../shared/api.ts';
import type { Permission } from '../../../shared/permissions.ts';
import { ApiError, api, setCsrfToken } from '../../shared/http.ts';

export const meKey = ['me'] as const;

/** The signed-in user, or null when signed out. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return acceptMeToken(await api.get<Me>('/api/auth/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

function acceptMeToken(me: Me): Me {
  setCsrfToken(me.csrfToken);
  return me;
}

/** Store a Me from login, switch-workspace or /me: its CSRF token becomes the one we send. */
export function acceptMe(client: QueryClient, me: Me): void {
  acceptMeToken(me);
  client.setQueryData(meKey, me);
}

let signedOutOnPurpose = false;

/** True after the user signed out themselves: the next sign-in starts at home, not at the last page. */
export function signedOutDeliberately(): boolean {
  return signedOutOnPurpose;
}

export function markSignedOut(deliberately: boolean): void {
  signedOutOnPurpose = deliberately;
}

/** Forget the session and every cached response (on sign-out or when the server says it ended). */
export function forgetSession(client: QueryClient): void {
  setCsrfToken(null);
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
  client.setQueryData(meKey, null);
}

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** The signed-in user; only for components rendered inside the signed-in area. */
export function useMe(): Me {
  const client = useQueryClient();
  const { data } = useMeQuery();
  const me = data ?? client.getQueryData<Me | null>(meKey);
  if (!me) throw new Error('useMe() used outside the signed-in area');
  return me;
}

/** Whether the signed-in user holds a permission. */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => me.permissions.includes(permission);
}
