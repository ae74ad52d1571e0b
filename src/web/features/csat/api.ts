/** HTTP side of CSAT in the console: a conversation's (or ticket's) rating requests, asking again, an agent's figures. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { CsatSettings } from '../../../shared/csat-api.ts';
import { api, query } from '../../shared/http.ts';

export type RequestState = 'open' | 'rated' | 'expired' | 'superseded';
export type Rating = {
  requestId: string;
  subjectType: 'conversation' | 'ticket';
  subjectId: string;
  conversationId: string | null;
  agentId: string | null;
  score: number;
  scale: 'stars' | 'faces';
  comment: string | null;
  answers: Record<string, boolean | string>;
  via: 'widget' | 'link';
  requestedAt: string;
  ratedAt: string;
};
export type SubjectRequest = {
  id: string;
  state: RequestState;
  byHand: boolean;
  createdAt: string;
  expiresAt: string;
  rating: Rating | null;
};
export type AgentCsat = {
  agent: { id: string; name: string; role: string };
  count: number;
  average: number | null;
  distribution: [number, number, number, number, number];
  satisfied: number | null;
  recent: Rating[];
};
export type Asked = { id: string; state: RequestState; expiresAt: string; link: string };

type Subject = { type: 'conversations' | 'tickets'; id: string };
const requestsKey = (s: Subject) => ['csat', s.type, s.id] as const;

export const csatRequestsQuery = (s: Subject) =>
  queryOptions({
    queryKey: requestsKey(s),
    queryFn: () => api.get<{ items: SubjectRequest[] }>(`/api/${s.type}/${s.id}/csat`),
  });

export function useAskAgain(s: Subject) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Asked>(`/api/${s.type}/${s.id}/csat/request`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: requestsKey(s) }),
  });
}

export const agentCsatQuery = (id: string, from?: string) =>
  queryOptions({
    queryKey: ['csat', 'agent', id, from ?? null],
    queryFn: () => api.get<AgentCsat>(`/api/csat/agents/${id}${query({ from })}`),
  });

/** The survey of the workspace (`*`) and of each inbox that has its own. */
export const csatSettingsQuery = () =>
  queryOptions({
    queryKey: ['csat', 'settings'],
    queryFn: () => api.get<{ base: CsatSettings; byInbox: Record<string, CsatSettings> }>('/api/csat/settings'),
  });

export function useSaveCsatSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ scope, settings }: { scope: string; settings: CsatSettings }) =>
      api.put<CsatSettings>(`/api/csat/settings/${encodeURIComponent(scope)}`, settings),
    onSettled: () => client.invalidateQueries({ queryKey: ['csat', 'settings'] }),
  });
}
