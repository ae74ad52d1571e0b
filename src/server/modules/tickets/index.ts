/** Tickets module (工单): tickets, timeline, status flow, custom fields and types, views, macros, SLA clocks. */
import type { KefuModule } from '../../module.ts';
import { ticketEvents } from './events.ts';
import { ticketJobs, ticketSchedules } from './jobs.ts';
import { ticketListeners } from './listeners.ts';
import { metricListeners, registerTicketMetrics } from './metrics.ts';
import { ticketRoutes } from './routes.ts';

/** Create and change tickets (other modules: e.g. a channel making a ticket), and read one. */
export { createTicket, updateTicket } from './service.ts';
export { getTicket, transitions, systemWho, type Who } from './model.ts';
/** The SLA clock: recompute one ticket; the worker's scan of due tickets; a timeline's SLA events (reports' SLA risk). */
export { recompute, checkDueTickets, slaEventsOf, toSlaState } from './clock.ts';
/** SLA achievement figures for a period (the reports will read these). */
export { slaAchievement } from './report.ts';
/** Rebuild a workspace's SLA rollup from its tickets (repairs, bulk imports such as the volume benchmark). */
export { rebuildTicketSlaRollup } from './rollup.ts';
/** A shopper's tickets for the privacy module: export, erasure of their content, compacting the search index. */
export { ticketsForExport, eraseTickets, compactTicketSearch, type TicketExport } from './privacy.ts';

/** Key rotation: reseal a batch of sealed field values under the current key. */
export { resealTickets, resealTicketEvents } from './reseal.ts';

/** Merging two customers: the duplicate's rows here move to the kept customer (inside the merge's transaction). */
export { moveTicketsToCustomer } from './merge.ts';

export const ticketsModule: KefuModule = {
  name: 'tickets',
  tables: [
    'tickets',
    'ticket_events',
    'ticket_counters',
    'ticket_types',
    'ticket_fields',
    'ticket_views',
    'macros',
    'ticket_tags',
    'ticket_status_counts',
    'ticket_search',
  ],
  events: ticketEvents,
  permissions: ['tickets.read', 'tickets.manage', 'settings.manage', 'reports.read'],
  routes: ticketRoutes,
  listeners: [...ticketListeners, ...metricListeners],
  jobs: ticketJobs,
  schedules: ticketSchedules,
  metrics: registerTicketMetrics,
};
