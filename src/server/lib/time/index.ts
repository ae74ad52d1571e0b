/**
 * Pure time for every clock in Kefu (ticket SLAs, incident SLAs, inbox opening hours): working
 * calendars, wall-clock ↔ instant conversion in IANA zones, mainland China's holidays and
 * make-up workdays, and business-time arithmetic. No I/O, no module imports; the rules are
 * stated in `src/server/modules/sla/README.md` ("Calendar", "Time zones and DST",
 * "Business-time arithmetic").
 */

/**
 * A working calendar (time zone, weekly hours, holidays `"CN"` or own dates, per-date
 * overrides), its zod schema, and a validator that reports every problem at once with its
 * location. `alwaysOpenCalendar(zone)` is the 7×24 calendar.
 */
export {
  alwaysOpenCalendar,
  calendarSchema,
  validateCalendar,
  weekdayKeys,
  type Calendar,
  type CalendarInput,
  type HoursInterval,
  type WeekdayKey,
} from './calendar.ts';

/** What a calendar works on one local date, and why: an override, a CN holiday, a make-up workday, or weekday hours. */
export { dayPlan, type DayPlan, type DayKind } from './working-days.ts';

/** The years of mainland China holiday data the installed `chinese-days` covers (later years: weekly hours only). */
export { cnDataYears } from './cn-holidays.ts';

/**
 * Business-time arithmetic over half-open intervals: `addBusinessTime(calendar, start, ms)`
 * gives the earliest instant at which `ms` of working time has passed, `businessTimeBetween`
 * the working time in [a, b); `{ businessHours: false }` counts elapsed time instead.
 * `timelineOf` is the same on epoch milliseconds, for engines that call it in loops.
 */
export {
  addBusinessTime,
  businessTimeBetween,
  isBusinessTime,
  nextOpening,
  timelineOf,
  toEpochMs,
  type Instant,
  type Timeline,
  type TimeOptions,
} from './business-time.ts';

/**
 * Time zones: ISO text with the zone's offset (`formatInZone`), ISO parsing where text without
 * an offset is read in the given zone (`parseInstant`), and whether `Intl` knows a zone.
 */
export { formatInZone, isValidTimeZone, parseInstant } from './zoned-time.ts';
/** Local days: the day number an instant falls on in a zone, `YYYY-MM-DD` of a day number, a local time's instant. */
export { localDayOf, isoDateOfDay, localToInstant, dayNumber } from './zoned-time.ts';
