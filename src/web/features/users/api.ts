import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/http.ts';
import type {
  CreateUserBody,
  CreatedUser,
  ResetPasswordResult,
  UpdateUserBody,
  User,
  UserList,
} from '../../shared/types.ts';

export const usersQuery = () =>
  queryOptions({
    queryKey: ['users'],
    queryFn: () => api.get<UserList>('/api/users'),
  });

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api.post<CreatedUser>('/api/users', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserBody & { id: string }) =>
      api.patch<User>(`/api/users/${encodeURIComponent(id)}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ResetPasswordResult>(`/api/users/${encodeURIComponent(id)}/reset-password`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}
