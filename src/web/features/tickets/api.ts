/** HTTP side of tickets: the list, one ticket, its timeline, and every change made to tickets. */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Api from '../../../shared/tickets-api.ts';
import { api, query } from '../../shared/http.ts';

export type Ticket = Api.Ticket;
export type SlaState = Api.SlaState;
export type TargetState = z.infer<typeof Api.TargetState>;
export type TimelineEntry = z.infer<typeof Api.TimelineEntry>;
export type CreateTicketBody = z.input<typeof Api.CreateTicketBody>;
export type UpdateTicketBody = z.input<typeof Api.UpdateTicketBody>;
export type TicketReplyBody = z.input<typeof Api.TicketReplyBody>;
export type BulkBody = z.input<typeof Api.BulkBody>;
export type TicketQuery = z.input<typeof Api.TicketQuery>;
export type BulkResult = { results: { id: string; ok: boolean; error?: string }[] };
/** A page of the list; `search` says how a query was answered (text search lists newest first). */
export type TicketPage = z.infer<typeof Api.TicketPage>;

/** The list's filters (what a saved view stores), without paging. */
export type TicketFilters = Omit<TicketQuery, 'cursor' | 'limit'>;
export type View = NonNullable<TicketQuery['view']>;
export type Sort = NonNullable<TicketQuery['sort']>;

const pageSize = 50;
export const ticketsKey = ['tickets'] as const;
export const ticketKey = (id: string) => ['ticket', id] as const;
export const timelineKey = (id: string) => ['ticket', id, 'timeline'] as const;
const path = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;

export const ticketsQuery = (filters: TicketFilters) =>
  infiniteQueryOptions({
    queryKey: [...ticketsKey, filters],
    queryFn: ({ pageParam }) =>
      api.get<TicketPage>(`/api/tickets${query({ ...filters, cursor: pageParam, limit: pageSize })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // The server recomputes SLA clocks as they come due: pick up its verdicts now and then.
    refetchInterval: 30_000,
  });

export const ticketQuery = (id: string) =>
  queryOptions({
    queryKey: ticketKey(id),
    queryFn: () => api.get<Ticket>(path(id)),
    refetchInterval: 30_000,
  });

export const timelineQuery = (id: string) =>
  queryOptions({
    queryKey: timelineKey(id),
    queryFn: () => api.get<{ items: TimelineEntry[] }>(`${path(id)}/timeline`),
    refetchInterval: 60_000,
  });

/** After a change: the fresh ticket in the cache, its timeline and the lists reloaded. */
export function acceptTicket(client: QueryClient, ticket: Ticket): void {
  client.setQueryData(ticketKey(ticket.id), ticket);
  void client.invalidateQueries({ queryKey: timelineKey(ticket.id) });
  void client.invalidateQueries({ queryKey: ticketsKey });
}

export function useCreateTicket() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTicketBody) => api.post<Ticket>('/api/tickets', body),
    onSuccess: (ticket) => acceptTicket(client, ticket),
  });
}

/** A change to one ticket; `version` is the one last seen (a stale one gets 409 version_conflict). */
export function useUpdateTicket() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateTicketBody & { id: string }) => api.patch<Ticket>(path(id), body),
    onSuccess: (ticket) => acceptTicket(client, ticket),
  });
}

export function useReply() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: TicketReplyBody & { id: string }) => api.post<Ticket>(`${path(id)}/replies`, body),
    onSuccess: (ticket) => acceptTicket(client, ticket),
  });
}

export function useMerge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, intoId }: { id: string; intoId: string }) => api.post<Ticket>(`${path(id)}/merge`, { intoId }),
    onSuccess: (ticket, { id }) => {
      acceptTicket(client, ticket);
      void client.invalidateQueries({ queryKey: ticketKey(id) });
    },
  });
}

export function useApplyMacro() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, macroId, version }: { id: string; macroId: string; version: number }) =>
      api.post<Ticket>(`${path(id)}/macros/${encodeURIComponent(macroId)}`, { version }),
    onSuccess: (ticket) => acceptTicket(client, ticket),
  });
}

export function useBulkUpdate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkBody) => api.post<BulkResult>('/api/tickets/bulk', body),
    onSettled: () => client.invalidateQueries({ queryKey: ticketsKey }),
  });
}

/** Finds a ticket by its number (for merging), among all tickets. */
export async function findByNumber(number: number): Promise<Ticket | undefined> {
  const page = await api.get<TicketPage>(`/api/tickets${query({ view: 'all', q: `#${number}`, limit: 5 })}`);
  return page.items.find((t) => t.number === number);
}
