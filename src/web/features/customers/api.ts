/** HTTP side of the customers page: the list, one customer, their conversations and tickets. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Chat from '../../../shared/chat-api.ts';
import type { Ticket } from '../../../shared/tickets-api.ts';
import { api, query } from '../../shared/http.ts';

export type Customer = Chat.Customer;
export type CustomerPage = z.infer<typeof Chat.CustomerPage>;
export type CustomerFilters = { q?: string; tier?: string };

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
