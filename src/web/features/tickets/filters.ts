/** The list's filters live in the URL (?view=mine&priority=urgent), so back from a ticket restores them. */
import type { TicketFilters } from './api.ts';

const keys = [
  'view',
  'status',
  'priority',
  'type',
  'groupId',
  'assigneeId',
  'tag',
  'q',
  'sort',
] as const satisfies readonly (keyof TicketFilters)[];

/** Landing on /tickets with no filters: "my unsolved tickets". */
export const defaultFilters: TicketFilters = { view: 'mine' };

export function filtersFromSearch(search: URLSearchParams): TicketFilters {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = search.get(key);
    if (value) out[key] = value;
  }
  return Object.keys(out).length ? (out as TicketFilters) : defaultFilters;
}

export function searchFromFilters(filters: TicketFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of keys) {
    const value = filters[key];
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  if (!search.has('view')) search.set('view', 'all');
  return search;
}

/** The filters that pick tickets (not their order), with the server's defaults written out. */
function identity(filters: Partial<TicketFilters>): string {
  const view = filters.view ?? 'all';
  const parts: string[] = [`view=${view}`];
  for (const key of keys) {
    if (key === 'view' || key === 'sort') continue;
    const value = filters[key];
    if (value === undefined || value === null || value === '') continue;
    // Views other than "all" show unsolved tickets unless told otherwise.
    if (key === 'status' && value === 'unsolved' && view !== 'all') continue;
    parts.push(`${key}=${String(value)}`);
  }
  return parts.join('&');
}

/** Whether two filter sets select the same tickets (the sort order does not matter). */
export function sameTickets(a: Partial<TicketFilters>, b: Partial<TicketFilters>): boolean {
  return identity(a) === identity(b);
}

/** Whether any filter beyond the view itself is set (what "save as a view" is for). */
export function hasFilters(filters: TicketFilters): boolean {
  return keys.some((key) => key !== 'view' && key !== 'sort' && !!filters[key]);
}
