/** HTTP side of routing in the console: the war room (polled), one-click reassignment, the rules and agents' settings. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { GroupRule, RoutingRule, RoutingRules, WarRoom } from '../../../shared/routing-api.ts';
import { api } from '../../shared/http.ts';

export type { WarRoom } from '../../../shared/routing-api.ts';

/** Refreshed every 3 s: a wall screen shows the queue as it is, without anyone touching it. */
export const warRoomQuery = () =>
  queryOptions({
    queryKey: ['routing', 'war-room'],
    queryFn: () => api.get<WarRoom>('/api/routing/war-room'),
    refetchInterval: 3_000,
  });

/** A transfer to an agent (present, with room) or to a group (back in the queue, keeping its place). */
export function useReassign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ conversationId, ...to }: { conversationId: string } & ({ agentId: string } | { groupId: string })) =>
      api.post(`/api/routing/conversations/${encodeURIComponent(conversationId)}/transfer`, to),
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: ['routing'] });
      await qc.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
}

export function useSetMyStatus() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (status: 'online' | 'busy' | 'away') => api.put('/api/routing/me/status', { status }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['routing'] }),
  });
}

export type AgentSettings = { capacityChat: number; capacityTicket: number; skills: string[] };

export function useSaveAgent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, ...body }: AgentSettings & { userId: string }) =>
      api.put(`/api/routing/agents/${encodeURIComponent(userId)}`, body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['routing'] }),
  });
}

/** The assignment rules: the workspace's (`*`), each inbox's, each group's. */
export const rulesQuery = () =>
  queryOptions({ queryKey: ['routing', 'rules'], queryFn: () => api.get<RoutingRules>('/api/routing/rules') });

export function useSaveRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ scope, rule }: { scope: string; rule: RoutingRule }) =>
      api.put<RoutingRule>(`/api/routing/rules/${encodeURIComponent(scope)}`, rule),
    onSettled: () => qc.invalidateQueries({ queryKey: ['routing'] }),
  });
}

export function useSaveGroupRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ groupId, rule }: { groupId: string; rule: GroupRule }) =>
      api.put<GroupRule>(`/api/routing/group-rules/${encodeURIComponent(groupId)}`, rule),
    onSettled: () => qc.invalidateQueries({ queryKey: ['routing'] }),
  });
}
