/** HTTP side of SLA settings: working calendars and the ordered list of SLA policies. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Api from '../../../shared/tickets-api.ts';
import { api, request } from '../../shared/http.ts';

export type CalendarDefinition = z.input<typeof Api.CalendarDefinition>;
export type CalendarBody = z.input<typeof Api.CalendarBody>;
export type Calendar = z.infer<typeof Api.Calendar>;
export type SlaPolicyBody = z.input<typeof Api.SlaPolicyBody>;
export type SlaPolicy = z.output<typeof Api.SlaPolicyRow>;

export const calendarsKey = ['calendars'] as const;
export const policiesKey = ['sla-policies'] as const;
const id = (value: string) => encodeURIComponent(value);

export const calendarsQuery = () =>
  queryOptions({
    queryKey: calendarsKey,
    queryFn: () => api.get<{ items: Calendar[] }>('/api/calendars'),
  });

export const policiesQuery = () =>
  queryOptions({
    queryKey: policiesKey,
    queryFn: () => api.get<{ items: SlaPolicy[] }>('/api/sla-policies'),
  });

export function useSaveCalendar() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ calendarId, ...body }: CalendarBody & { calendarId?: string }) =>
      calendarId
        ? request<Calendar>('PUT', `/api/calendars/${id(calendarId)}`, body)
        : api.post<Calendar>('/api/calendars', body),
    onSuccess: () => client.invalidateQueries({ queryKey: calendarsKey }),
  });
}

export function useSavePolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ policyId, ...body }: SlaPolicyBody & { policyId?: string }) =>
      policyId
        ? request<SlaPolicy>('PUT', `/api/sla-policies/${id(policyId)}`, body)
        : api.post<SlaPolicy>('/api/sla-policies', body),
    onSuccess: () => client.invalidateQueries({ queryKey: policiesKey }),
  });
}

/** Sets the whole order (first matching policy wins); the list shows the new order at once. */
export function useReorderPolicies() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api.post<{ items: SlaPolicy[] }>('/api/sla-policies/order', { ids }),
    onMutate: async (ids) => {
      await client.cancelQueries({ queryKey: policiesKey });
      const before = client.getQueryData<{ items: SlaPolicy[] }>(policiesKey);
      if (before) {
        const byId = new Map(before.items.map((p) => [p.id, p]));
        client.setQueryData(policiesKey, { items: ids.map((x) => byId.get(x)).filter((p): p is SlaPolicy => !!p) });
      }
      return { before };
    },
    onError: (_error, _ids, context) => {
      if (context?.before) client.setQueryData(policiesKey, context.before);
    },
    onSuccess: (data) => client.setQueryData(policiesKey, data),
  });
}
