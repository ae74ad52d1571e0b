/** Tickets module (工单): tickets, timeline, SLA clocks and alerts, groups, types, custom fields, views, macros, notifications. */
export { createTicket, updateTicket, getTicket, transitions, type Who } from './service.ts';
export { recompute, checkDueTickets } from './clock.ts';
export { slaAchievement } from './report.ts';
export { registerTicketListeners } from './listeners.ts';
export { registerTicketJobs, ticketSchedules } from './jobs.ts';
export { registerTicketMetrics } from './metrics.ts';
export { ticketRoutes } from './routes.ts';
