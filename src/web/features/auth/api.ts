import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/http.ts';
import type {
  ChangedPassword,
  ChangePasswordBody,
  LoginBody,
  Me,
  Ok,
  SwitchWorkspaceBody,
  TotpDisableBody,
  TotpEnableBody,
  TotpSetup,
  TotpSetupBody,
} from '../../shared/types.ts';
import { acceptMe, fetchMe, forgetSession, markSignedOut, meKey } from './session.ts';

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api.post<Me>('/api/auth/login', body),
    onSuccess: (me) => {
      forgetSession(client);
      markSignedOut(false);
      acceptMe(client, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Ok>('/api/auth/logout'),
    onSettled: () => {
      markSignedOut(true);
      forgetSession(client);
    },
  });
}

/** Reload Me after something that changes it (password, 2FA); the session may also have been rotated. */
async function refreshMe(client: ReturnType<typeof useQueryClient>): Promise<void> {
  const me = await fetchMe();
  if (me) acceptMe(client, me);
  else forgetSession(client);
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => api.post<ChangedPassword>('/api/auth/password', body),
    onSuccess: () => refreshMe(client),
  });
}

export function useTotpSetup() {
  return useMutation({ mutationFn: (body: TotpSetupBody) => api.post<TotpSetup>('/api/auth/totp/setup', body) });
}

export function useTotpEnable() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TotpEnableBody) => api.post<Ok>('/api/auth/totp/enable', body),
    onSuccess: () => refreshMe(client),
  });
}

export function useTotpDisable() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TotpDisableBody) => api.post<Ok>('/api/auth/totp/disable', body),
    onSuccess: () => refreshMe(client),
  });
}

export function useSwitchWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SwitchWorkspaceBody) => api.post<Me>('/api/auth/switch-workspace', body),
    onSuccess: (me) => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      acceptMe(client, me);
    },
  });
}
