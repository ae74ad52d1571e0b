/** HTTP side of the inbox: lists, one conversation, customers, canned replies, uploads, users for assigning. */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Chat from '../../../shared/chat-api.ts';
import type { Attachment, ConversationStatus, ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { ApiError, api, query, type ErrorInfo } from '../../shared/http.ts';
import type { UserList } from '../../shared/types.ts';

export type View = 'mine' | 'unassigned' | 'all';
export type Customer = Chat.Customer;
export type CannedReply = Chat.CannedReply;
export type CannedReplyBody = z.input<typeof Chat.CannedReplyBody>;
export type UpdateConversationBody = z.input<typeof Chat.UpdateConversationBody>;
export type UpdateCustomerBody = z.input<typeof Chat.UpdateCustomerBody>;
export type Ack = { cid: string; conv: string; id: string; seq: number; at: string; duplicate?: boolean };

/** The inbox's filters; `labelIds`: conversations carrying any of them. */
export type ListFilters = {
  view: View;
  status?: ConversationStatus;
  q?: string;
  inboxId?: string;
  labelIds?: string[];
};
/** A page of the inbox; `search` says how a query was answered (an exact customer match, or full text). */
export type ConversationPage = Omit<z.infer<typeof Chat.ConversationPage>, 'items'> & { items: ConversationSummary[] };

export const conversationsKey = ['conversations'] as const;

export const conversationsQuery = (f: ListFilters) =>
  infiniteQueryOptions({
    queryKey: [...conversationsKey, f],
    queryFn: ({ pageParam }) =>
      api.get<ConversationPage>(
        `/api/conversations${query({ ...f, labelIds: f.labelIds?.join(','), cursor: pageParam, limit: 30 })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

export const conversationQuery = (id: string) =>
  queryOptions({
    queryKey: ['conversation', id],
    queryFn: () => api.get<ConversationSummary>(`/api/conversations/${encodeURIComponent(id)}`),
  });

export const customerQuery = (id: string) =>
  queryOptions({
    queryKey: ['customer', id],
    queryFn: () => api.get<Customer>(`/api/customers/${encodeURIComponent(id)}`),
  });

export const customerConversationsQuery = (id: string) =>
  queryOptions({
    queryKey: ['customer', id, 'conversations'],
    queryFn: () => api.get<{ items: ConversationSummary[] }>(`/api/customers/${encodeURIComponent(id)}/conversations`),
  });

export const cannedRepliesQuery = () =>
  queryOptions({
    queryKey: ['canned-replies'],
    queryFn: () => api.get<{ items: CannedReply[] }>('/api/canned-replies'),
    staleTime: 60_000,
  });

/** For the assignee picker; only asked for when the role holds users.read. */
export const assignableUsersQuery = () =>
  queryOptions({
    queryKey: ['users'],
    queryFn: () => api.get<UserList>('/api/users'),
    staleTime: 60_000,
  });

/**
 * Puts a fresh summary (from a `conv` frame or a PATCH) into every cached copy of it; with `toTop`
 * (a new message: the lists are ordered by last activity) the row also moves to the top.
 */
export function storeSummary(client: QueryClient, c: ConversationSummary, toTop = false): void {
  client.setQueryData(['conversation', c.id], c);
  client.setQueryData<{ items: ConversationSummary[] }>(
    ['customer', c.customerId, 'conversations'],
    (data) => data && { items: data.items.map((item) => (item.id === c.id ? c : item)) },
  );
  client.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: conversationsKey }, (data) => {
    if (!data) return data;
    const found = data.pages.some((page) => page.items.some((item) => item.id === c.id));
    if (!found) return data;
    const pages = data.pages.map((page, index) => {
      if (toTop) {
        const rest = page.items.filter((item) => item.id !== c.id);
        return { ...page, items: index === 0 ? [c, ...rest] : rest };
      }
      return { ...page, items: page.items.map((item) => (item.id === c.id ? c : item)) };
    });
    return { ...data, pages };
  });
}

export function useUpdateConversation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateConversationBody & { id: string }) =>
      api.patch<ConversationSummary>(`/api/conversations/${encodeURIComponent(id)}`, body),
    onSuccess: (c) => {
      storeSummary(client, c);
      void client.invalidateQueries({ queryKey: conversationsKey });
    },
  });
}

export function useUpdateCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateCustomerBody & { id: string }) =>
      api.patch<Customer>(`/api/customers/${encodeURIComponent(id)}`, body),
    onSuccess: (customer) => {
      client.setQueryData(['customer', customer.id], customer);
      void client.invalidateQueries({ queryKey: conversationsKey });
    },
  });
}

/** The HTTP fallback for sending while the socket is down (same client id: stored at most once). */
export function postMessage(
  conv: string,
  body: { clientId: string; kind: string; body: string; attachments?: { id: string }[] },
): Promise<Ack> {
  return api.post<Ack>(`/api/conversations/${encodeURIComponent(conv)}/messages`, body);
}

export function markReadHttp(conv: string, seq: number): Promise<unknown> {
  return api.post(`/api/conversations/${encodeURIComponent(conv)}/read`, { seq });
}

export function useCannedReplyMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: ['canned-replies'] });
  return {
    create: useMutation({
      mutationFn: (body: CannedReplyBody) => api.post<CannedReply>('/api/canned-replies', body),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: CannedReplyBody & { id: string }) =>
        api.patch<CannedReply>(`/api/canned-replies/${encodeURIComponent(id)}`, body),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete(`/api/canned-replies/${encodeURIComponent(id)}`),
      onSuccess,
    }),
  };
}

/** multipart upload (field `file`); JSON helpers in shared/http.ts cannot send a FormData body. */
export async function uploadFile<T = Attachment>(
  file: File,
  csrfToken: string,
  to: { url: string; method: 'POST' | 'PUT' } = { url: '/api/uploads', method: 'POST' },
): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(to.url, {
      method: to.method,
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
    });
  } catch (cause) {
    throw new ApiError(0, { message: cause instanceof Error ? cause.message : String(cause) });
  }
  const data = (await response.json().catch(() => undefined)) as (T & { error?: Partial<ErrorInfo> }) | undefined;
  if (!response.ok) throw new ApiError(response.status, data?.error ?? {});
  return data as T;
}
