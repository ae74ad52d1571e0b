import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, query } from '../../shared/http.ts';
import type { AuditPage } from '../../shared/types.ts';

export type AuditFilters = { action?: string; actorId?: string; objectType?: string };

const pageSize = 50;

/** The audit log, newest first, a page at a time; the next page starts before the last entry's cursor. */
export const auditQuery = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api.get<AuditPage>(`/api/audit${query({ ...filters, before: pageParam, limit: pageSize })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
