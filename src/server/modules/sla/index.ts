/**
 * SLA module: the one pure clock engine shared by ticket SLAs and incident SLAs, and the
 * workspace's calendars and ordered SLA policies. Calendars and business-time arithmetic are
 * in `server/lib/time`. Semantics: README.md here.
 */

/** Policy snapshot and event history types, schemas and validation. */
export {
  policySchema,
  eventSchema,
  validatePolicy,
  targetNames,
  ticketStatuses,
  eventTypes,
  defaultPauseStatuses,
  type SlaPolicy,
  type SlaPolicyInput,
  type SlaEvent,
  type SlaEventType,
  type TargetName,
  type TicketStatus,
} from './policy.ts';

/** `computeClock(events, policy, calendar, now)` per target; `nextCheckAt(result, now)` for the jobs worker. */
export { computeClock, nextCheckAt, type ClockResult, type TargetClock } from './clock.ts';

/** Calendars and ordered SLA policies of a workspace (tables calendars, sla_policies), and the snapshot a ticket keeps. */
export { applicablePolicy, matches, type TicketSla, type TicketFacts } from './policies.ts';
export { slaRoutes } from './routes.ts';
