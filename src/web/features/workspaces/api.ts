import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/http.ts';
import type { CreateWorkspaceBody, CreatedWorkspace, WorkspaceList } from '../../shared/types.ts';

export const workspacesQuery = () =>
  queryOptions({
    queryKey: ['workspaces'],
    queryFn: () => api.get<WorkspaceList>('/api/workspaces'),
    staleTime: 60_000,
  });

export function useCreateWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWorkspaceBody) => api.post<CreatedWorkspace>('/api/workspaces', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['workspaces'] }),
  });
}
