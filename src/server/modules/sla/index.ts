import type { KefuModule } from '../../module.ts';
import { slaEvents } from './events.ts';
import { registerSlaMetrics } from './metrics.ts';
import { slaRoutes } from './routes.ts';

/**
 * SLA module: the one pure clock engine shared by ticket SLAs and incident SLAs, and the
 * workspace's calendars and ordered SLA policies. Calendars and business-time arithmetic are
 * in `server/lib/time`. Semantics: README.md here.
 */

/**
 * The engine: `computeClock(events, policy, calendar, now, profile)` gives every target of the
 * policy as of `now` (due, warning, elapsed, paused, fulfilled, breached, cycle);
 * `nextCheckAt(result, now)` is when the jobs worker should look again.
 */
export { computeClock, nextCheckAt, type ClockResult, type TargetClock } from './clock.ts';

/**
 * Profiles: a module describes its states, events and targets' start/stop rules as data
 * (`defineClockProfile` checks one) and passes it to `computeClock`. The zod pieces keep every
 * profile's policy and event problems worded alike.
 */
export {
  defineClockProfile,
  eventSchemaOf,
  minutesSchema,
  stateSchema,
  warnAtShareSchema,
  type ClockEvent,
  type ClockPolicy,
  type ClockProfile,
  type CyclesRule,
  type FulfilledBy,
  type OnceRule,
  type TargetRule,
} from './profile.ts';

/** Ticket SLAs: the profile, the policy snapshot and event history types, schemas and validation. */
export {
  ticketProfile,
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
  type TicketClockResult,
  type TicketStatus,
} from './ticket-profile.ts';

/** Incident SLAs (respond, resolve; 7×24 unless the policy says otherwise): the profile and its policy. */
export {
  incidentProfile,
  incidentPolicySchema,
  incidentEventSchema,
  validateIncidentPolicy,
  incidentTargetNames,
  incidentStates,
  incidentEventTypes,
  type IncidentPolicy,
  type IncidentPolicyInput,
  type IncidentEvent,
  type IncidentEventType,
  type IncidentTargetName,
  type IncidentClockResult,
  type IncidentState,
} from './incident-profile.ts';

/** Calendars and ordered SLA policies of a workspace (tables calendars, sla_policies), and the snapshot a ticket keeps. */
export { applicablePolicy, matches, type TicketSla, type TicketFacts } from './policies.ts';

/** Alerts of any subject's clock: recorded once per target cycle, announced as sla.warning / sla.breached. */
export { raiseAlerts, dueAlerts, type Alert, type AlertSubject } from './alerts.ts';
export type { SlaAlertEvent } from './events.ts';

/**
 * SLA outcomes per day and policy, kept as clocks change (reports read these, never every
 * subject): move a subject's contribution, read a period's totals, quantiles of its histogram;
 * the stored rows and a rebuild for tests, repairs and imports.
 */
export {
  applySlaOutcomes,
  slaTotals,
  histogramQuantile,
  outcomeRows,
  sumRows,
  storedSlaDaily,
  rebuildSlaDaily,
  type SlaOutcome,
  type SlaTotals,
  type SlaDailyRow,
} from './daily.ts';

/** The scanners' last completed scan (gauges for monitoring) and the workspaces' working hours. */
export { recordScan, workingHours, type SlaScanner } from './metrics.ts';

export const slaModule: KefuModule = {
  name: 'sla',
  tables: ['calendars', 'sla_policies', 'sla_alerts', 'sla_daily', 'sla_scans'],
  events: slaEvents,
  permissions: ['tickets.read', 'settings.manage'],
  routes: slaRoutes,
  metrics: registerSlaMetrics,
};
