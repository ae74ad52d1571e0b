/**
 * Business-time arithmetic over a calendar. Intervals are half-open: an instant exactly at an
 * interval's end is outside it, so [09:00, 12:00) and [13:30, 18:00) hold 7.5 h and 12:00 itself
 * is lunch. With `businessHours: false` the same functions count real elapsed (calendar) time,
 * so one engine serves both kinds of policy.
 */
import { badRequest } from '../errors.ts';
import type { Calendar } from './calendar.ts';
import { compile, workingInstants } from './working-days.ts';
import { localDayOf, parseInstant } from './zoned-time.ts';

/** A point in time: a Date, epoch milliseconds, or ISO-8601 text (no offset = the calendar's zone). */
export type Instant = Date | number | string;

export type TimeOptions = {
  /** false: count every millisecond (calendar time) instead of working time. Default true. */
  businessHours?: boolean;
};

/** Measure and add time along one calendar: the primitive the SLA clock is built on. */
export type Timeline = {
  between(a: number, b: number): number;
  add(start: number, ms: number): number;
};

/** How long a run of days without any working hours may be before we call the calendar broken. */
const MAX_IDLE_DAYS = 366;

/** Epoch ms of an instant; text without an offset is read in `timeZone`. */
export function toEpochMs(x: Instant, timeZone: string): number {
  const ms = typeof x === 'string' ? parseInstant(x, timeZone) : x instanceof Date ? x.getTime() : x;
  if (ms === null || !Number.isFinite(ms))
    throw badRequest(`not a date-time: ${JSON.stringify(x instanceof Date ? String(x) : x)}`);
  return ms;
}

const calendarTime: Timeline = {
  between: (a, b) => b - a,
  add: (start, ms) => start + ms,
};

/** The timeline of a calendar: working time, or calendar time when `businessHours` is false. */
export function timelineOf(calendar: Calendar, options: TimeOptions = {}): Timeline {
  if (options.businessHours === false) return calendarTime;
  const c = compile(calendar);
  return {
    between(a, b) {
      if (b < a) return -this.between(b, a);
      let total = 0;
      const last = localDayOf(c.timezone, b) + 1;
      for (let d = localDayOf(c.timezone, a) - 1; d <= last; d++) {
        for (const [s, e] of workingInstants(c, d)) {
          const lo = Math.max(s, a);
          const hi = Math.min(e, b);
          if (hi > lo) total += hi - lo;
        }
      }
      return total;
    },
    add(start, ms) {
      if (ms < 0) throw new RangeError('cannot add negative business time');
      if (ms === 0) return start;
      let remaining = ms;
      let idle = 0;
      for (let d = localDayOf(c.timezone, start) - 1; ; d++) {
        const list = workingInstants(c, d);
        for (const [s, e] of list) {
          const lo = Math.max(s, start);
          if (e <= lo) continue;
          // `<=`: the budget runs out at the end instant itself, not at the next opening.
          if (remaining <= e - lo) return lo + remaining;
          remaining -= e - lo;
        }
        idle = list.length ? 0 : idle + 1;
        if (idle > MAX_IDLE_DAYS)
          throw badRequest(`the calendar has no working hours for more than ${MAX_IDLE_DAYS} days in a row`);
      }
    },
  };
}

/**
 * The instant at which `ms` of business time has passed since `start`: the earliest instant
 * with that much working time in [start, instant). A budget that runs out exactly at an
 * interval's end gives that end (18:00), not the next opening.
 */
export function addBusinessTime(calendar: Calendar, start: Instant, ms: number, options: TimeOptions = {}): Date {
  return new Date(timelineOf(calendar, options).add(toEpochMs(start, calendar.timezone), ms));
}

/** Working time in [a, b), in ms; negative when b is before a. */
export function businessTimeBetween(calendar: Calendar, a: Instant, b: Instant, options: TimeOptions = {}): number {
  return timelineOf(calendar, options).between(toEpochMs(a, calendar.timezone), toEpochMs(b, calendar.timezone));
}

/** True when `instant` lies inside a working interval (half-open: the end instant is outside). */
export function isBusinessTime(calendar: Calendar, instant: Instant): boolean {
  const t = toEpochMs(instant, calendar.timezone);
  return timelineOf(calendar).between(t, t + 1) === 1;
}

/** The first instant at or after `instant` that is working time (the clock's real start). */
export function nextOpening(calendar: Calendar, instant: Instant): Date {
  const t = toEpochMs(instant, calendar.timezone);
  const reached = timelineOf(calendar).add(t, 1);
  return new Date(reached - 1);
}
