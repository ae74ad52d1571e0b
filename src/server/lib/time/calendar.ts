/**
 * A working calendar: weekly hours in a time zone, a holiday set (mainland China's official one,
 * or the merchant's own dates) and per-date overrides. One zod schema checks the shape and the
 * meaning, and reports every problem at once so an admin fixes a calendar in one pass.
 */
import { z } from 'zod';
import { validateWith, type Validation } from '../validation.ts';
import { dateOfDay, dayNumber, isValidTimeZone } from './zoned-time.ts';

export const weekdayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof weekdayKeys)[number];

/** `["09:00", "12:00"]`: local wall-clock, half-open [start, end); "24:00" is allowed as an end. */
export type HoursInterval = [string, string];

export type Calendar = {
  /** IANA zone, e.g. `Asia/Shanghai`. */
  timezone: string;
  /** A missing day has no working hours. */
  hours: Partial<Record<WeekdayKey, HoursInterval[]>>;
  /** `"CN"`: mainland China's public holidays and make-up workdays; or the merchant's own days off. */
  holidays: 'CN' | string[];
  /** Win over everything else; empty hours = a day off. */
  overrides: { date: string; hours: HoursInterval[]; name?: string }[];
};

const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM", or null; "24:00" only when `asEnd`. */
export function parseHhmm(text: string, asEnd = false): number | null {
  if (asEnd && text === '24:00') return 1440;
  const m = hhmm.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const m = isoDatePattern.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return false;
  const back = dateOfDay(dayNumber(y, mo, d));
  return back.month === mo && back.day === d;
}

const isoDate = z.string().refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

const intervals = z.array(z.tuple([z.string(), z.string()])).superRefine((list, ctx) => {
  const valid: { s: number; e: number; text: string }[] = [];
  list.forEach(([start, end], i) => {
    const s = parseHhmm(start);
    const e = parseHhmm(end, true);
    if (s === null)
      ctx.addIssue({
        code: 'custom',
        path: [i, 0],
        message: `start "${start}" is not a time HH:MM from 00:00 to 23:59`,
      });
    if (e === null)
      ctx.addIssue({ code: 'custom', path: [i, 1], message: `end "${end}" is not a time HH:MM from 00:01 to 24:00` });
    if (s === null || e === null) return;
    if (s >= e)
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `${start}–${end} must start before it ends (an interval cannot cross midnight; split it)`,
      });
    else valid.push({ s, e, text: `${start}–${end}` });
  });
  valid.sort((a, b) => a.s - b.s);
  for (let i = 1; i < valid.length; i++) {
    if (valid[i].s < valid[i - 1].e)
      ctx.addIssue({ code: 'custom', path: [], message: `${valid[i - 1].text} overlaps ${valid[i].text}` });
  }
});

const hours = z
  .strictObject(
    Object.fromEntries(weekdayKeys.map((k) => [k, intervals.optional()])) as Record<
      WeekdayKey,
      z.ZodOptional<typeof intervals>
    >,
  )
  .superRefine((h, ctx) => {
    if (!weekdayKeys.some((k) => (h[k]?.length ?? 0) > 0))
      ctx.addIssue({ code: 'custom', message: 'no working hours on any day of the week' });
  });

export const calendarSchema = z.strictObject({
  timezone: z.string().refine(isValidTimeZone, {
    error: (i) => `unknown time zone ${JSON.stringify(i.input)} (use an IANA name such as Asia/Shanghai)`,
  }),
  hours,
  holidays: z
    .union([z.literal('CN'), z.array(isoDate)], {
      error: 'must be "CN" (mainland China) or a list of YYYY-MM-DD dates',
    })
    .default([]),
  overrides: z
    .array(z.strictObject({ date: isoDate, hours: intervals, name: z.string().optional() }))
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((o, i) => {
        if (seen.has(o.date))
          ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${o.date} has more than one override` });
        seen.add(o.date);
      });
    }),
}) satisfies z.ZodType<Calendar, unknown>;

export type CalendarInput = z.input<typeof calendarSchema>;

/** Checks a calendar; returns it with defaults filled in, or every problem found. */
export function validateCalendar(input: unknown): Validation<Calendar> {
  return validateWith(calendarSchema, input);
}

/**
 * A 7×24 calendar in `timezone`: every day 00:00–24:00, no holidays. Working time then equals
 * elapsed time, DST days included (their 23 or 25 hours all count), which is what a
 * round-the-clock contract (incident SLAs) measures.
 */
export function alwaysOpenCalendar(timezone = 'UTC'): Calendar {
  const day: HoursInterval[] = [['00:00', '24:00']];
  return {
    timezone,
    hours: Object.fromEntries(weekdayKeys.map((k) => [k, day])),
    holidays: [],
    overrides: [],
  };
}
