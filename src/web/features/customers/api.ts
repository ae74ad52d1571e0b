/** HTTP side of the customers page: the list, one customer, their conversations and tickets. */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Chat from '../../../shared/chat-api.ts';
import type { Ticket } from '../../../shared/tickets-api.ts';
import { api, query } from '../../shared/http.ts';

export type Customer = Chat.Customer;
export type CustomerPage = z.infer<typeof Chat.CustomerPage>;
export type CustomerFilters = { q?: string; tier?: string; tag?: string };

export const customersQuery = (f: CustomerFilters) =>
  infiniteQueryOptions({
    queryKey: ['customers', f],
    queryFn: ({ pageParam }) => api.get<CustomerPage>(`/api/customers${query({ ...f, cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

export const customerTicketsQuery = (id: string) =>
  queryOptions({
    queryKey: ['customer', id, 'tickets'],
    queryFn: () => api.get<{ items: Ticket[] }>(`/api/customers/${encodeURIComponent(id)}/tickets`),
  });

/** The CSV export's address for the current filters (a plain download, with the session cookie). */
export const exportUrl = (f: CustomerFilters) => `/api/customers/export.csv${query(f)}`;

/** Every tag in use in the workspace (the list's filter, the profile's picker). */
export const customerTagsQuery = () =>
  queryOptions({
    queryKey: ['customer-tags'],
    queryFn: () => api.get<z.infer<typeof Chat.CustomerTags>>('/api/customer-tags'),
    staleTime: 30_000,
  });

/** Every tier customers of the workspace have (the list's filter). */
export const customerTiersQuery = () =>
  queryOptions({
    queryKey: ['customer-tiers'],
    queryFn: () => api.get<z.infer<typeof Chat.CustomerTiers>>('/api/customer-tiers'),
    staleTime: 30_000,
  });

/** Merges customer `from` into `id`; everything about either customer is refetched. */
export function useMergeCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, from }: { id: string; from: string }) =>
      api.post<z.infer<typeof Chat.MergeResult>>(`/api/customers/${encodeURIComponent(id)}/merge`, { from }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customer'] });
      void client.invalidateQueries({ queryKey: ['customers'] });
      void client.invalidateQueries({ queryKey: ['customer-tags'] });
      void client.invalidateQueries({ queryKey: ['customer-tiers'] });
    },
  });
}
