import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Chat from '../../../shared/chat-api.ts';
import { api } from '../../shared/http.ts';

export type Inbox = Chat.Inbox;
export type InboxSettings = Chat.InboxSettings;
export type CreateInboxBody = z.input<typeof Chat.CreateInboxBody>;
export type UpdateInboxBody = z.input<typeof Chat.UpdateInboxBody>;

export const inboxesQuery = () =>
  queryOptions({
    queryKey: ['inboxes'],
    queryFn: () => api.get<{ items: Inbox[] }>('/api/inboxes'),
    staleTime: 60_000,
  });

export function useCreateInbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInboxBody) => api.post<Inbox>('/api/inboxes', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['inboxes'] }),
  });
}

export function useUpdateInbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateInboxBody & { id: string }) =>
      api.patch<Inbox>(`/api/inboxes/${encodeURIComponent(id)}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['inboxes'] }),
  });
}
