import type { KefuModule } from '../../module.ts';
import { slaEvents } from './events.ts';
import { slaRoutes } from './routes.ts';

/**
 * SLA module: the one pure clock engine shared by ticket SLAs and incident SLAs. Working
 * calendars (time zone, weekly hours, mainland China's holidays and make-up workdays,
 * overrides), business-time arithmetic, and the clock itself. Semantics: README.md here.
 */

/** Calendar type, its zod schema, and a validator that returns every problem at once. */
export {
  calendarSchema,
  validateCalendar,
  type Calendar,
  type CalendarInput,
  type HoursInterval,
  type WeekdayKey,
  type Validation,
} from './calendar.ts';

/** What a calendar works on one local date (override, CN holiday, make-up workday, or weekday hours). */
export { dayPlan, type DayPlan, type DayKind } from './working-days.ts';

/** The years of mainland China holiday data the installed `chinese-days` covers. */
export { cnDataYears } from './cn-holidays.ts';

/**
 * Business-time arithmetic: `addBusinessTime(calendar, start, ms)`, `businessTimeBetween(calendar, a, b)`
 * (half-open intervals), with `{ businessHours: false }` counting calendar time instead.
 */
export {
  addBusinessTime,
  businessTimeBetween,
  isBusinessTime,
  nextOpening,
  toEpochMs,
  type Instant,
  type TimeOptions,
} from './business-time.ts';

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

/** Time-zone helpers: ISO text with the zone's offset, and ISO parsing (no offset = that zone). */
export { formatInZone, parseInstant, isValidTimeZone } from './zoned-time.ts';

/** Calendars and ordered SLA policies of a workspace (tables calendars, sla_policies), and the snapshot a ticket keeps. */
export { applicablePolicy, matches, type TicketSla, type TicketFacts } from './policies.ts';

/** Alerts of any subject's clock: recorded once per target cycle, announced as sla.warning / sla.breached. */
export { raiseAlerts, dueAlerts, type Alert, type AlertSubject } from './alerts.ts';
export type { SlaAlertEvent } from './events.ts';

export const slaModule: KefuModule = {
  name: 'sla',
  tables: ['calendars', 'sla_policies', 'sla_alerts'],
  events: slaEvents,
  permissions: ['tickets.read', 'settings.manage'],
  routes: slaRoutes,
};
