import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/http.ts';
import type { Me, UpdateWorkspaceBody, Workspace } from '../../shared/types.ts';
import { meKey } from '../auth/session.ts';

export const workspaceQuery = () =>
  queryOptions({
    queryKey: ['workspace'],
    queryFn: () => api.get<Workspace>('/api/workspace'),
  });

export function useUpdateWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateWorkspaceBody) => api.patch<Workspace>('/api/workspace', body),
    onSuccess: (workspace) => {
      client.setQueryData(['workspace'], workspace);
      // The header and every date on screen follow the workspace held in Me.
      client.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, workspace } : me));
      void client.invalidateQueries({ queryKey: ['workspaces'] });
    },
  });
}
