/** The calendar editor's values, presets, and the conversions to and from the API's definition. */
import type { Calendar, CalendarDefinition } from './api.ts';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
export type Interval = [string, string];
export type Override = { date: string; hours: Interval[] };

export type CalendarFormValues = {
  name: string;
  timezone: string;
  hours: Record<Weekday, Interval[]>;
  /** Mainland China's public holidays and make-up workdays (法定节假日与调休). */
  cnHolidays: boolean;
  /** The merchant's own days off, when not following the CN arrangement. */
  holidays: string[];
  overrides: Override[];
};

const pad = (n: number) => String(n).padStart(2, '0');
/** Quarter hours: starts 00:00–23:45, ends 00:15–24:00 ("24:00" is the next midnight). */
export const startSlots = Array.from({ length: 96 }, (_, i) => `${pad(Math.floor(i / 4))}:${pad((i % 4) * 15)}`);
export const endSlots = [...startSlots.slice(1), '24:00'];

const every = (hours: Interval[]): Record<Weekday, Interval[]> =>
  Object.fromEntries(weekdays.map((d) => [d, hours.map(([a, b]) => [a, b] as Interval)])) as Record<
    Weekday,
    Interval[]
  >;

export const presets = {
  /** Office hours with a lunch break, Monday to Friday. */
  office: (): Record<Weekday, Interval[]> => ({
    ...every([
      ['09:00', '12:00'],
      ['13:30', '18:00'],
    ]),
    sat: [],
    sun: [],
  }),
  /** Every day 09:00–21:00, as many online shops staff it. */
  shop: (): Record<Weekday, Interval[]> => every([['09:00', '21:00']]),
  /** Around the clock. */
  always: (): Record<Weekday, Interval[]> => every([['00:00', '24:00']]),
};

export type Preset = keyof typeof presets;

export function newCalendarValues(timezone: string): CalendarFormValues {
  return { name: '', timezone, hours: presets.office(), cnHolidays: true, holidays: [], overrides: [] };
}

export function toFormValues(calendar: Calendar): CalendarFormValues {
  const d = calendar.definition;
  return {
    name: calendar.name,
    timezone: d.timezone,
    hours: {
      ...every([]),
      ...Object.fromEntries(
        Object.entries(d.hours).map(([k, v]) => [k, (v ?? []).map(([a, b]) => [a, b] as Interval)]),
      ),
    },
    cnHolidays: d.holidays === 'CN',
    holidays: d.holidays === 'CN' ? [] : [...d.holidays],
    overrides: d.overrides.map((o) => ({ date: o.date, hours: o.hours.map(([a, b]) => [a, b] as Interval) })),
  };
}

export function toDefinition(v: CalendarFormValues): CalendarDefinition {
  return {
    timezone: v.timezone,
    hours: Object.fromEntries(
      weekdays.map((d) => [d, (v.hours[d] ?? []).map(([a, b]) => [a, b])]),
    ) as CalendarDefinition['hours'],
    holidays: v.cnHolidays ? 'CN' : [...new Set(v.holidays ?? [])].sort(),
    overrides: (v.overrides ?? [])
      .filter((o) => o.date)
      .map((o) => ({ date: o.date, hours: (o.hours ?? []).map(([a, b]) => [a, b] as [string, string]) })),
  };
}

/** Minutes of working time in a week (for the list: "45 h/week"). */
export function weeklyMinutes(hours: CalendarDefinition['hours']): number {
  const minutes = (hhmm: string) =>
    hhmm === '24:00' ? 1440 : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return Object.values(hours)
    .flat()
    .reduce((sum, interval) => sum + Math.max(0, minutes(interval![1]) - minutes(interval![0])), 0);
}

export type Problem = {
  where:
    | { part: 'weekday'; day: Weekday }
    | { part: 'timezone' | 'holidays' | 'hours' }
    | { part: 'override'; index: number }
    | null;
  what: string;
};

/** Splits a server problem ("hours.mon: 09:00–12:00 overlaps 11:00–13:00") into where (for a localized label) and what. */
export function parseProblem(text: string): Problem {
  const m = /^([a-z]+)((?:\.[a-z]+|\[\d+\])*): (.*)$/s.exec(text);
  if (!m) return { where: null, what: text };
  const [, head, rest, what] = m;
  const day = /^\.(mon|tue|wed|thu|fri|sat|sun)/.exec(rest)?.[1] as Weekday | undefined;
  if (head === 'hours' && day) return { where: { part: 'weekday', day }, what };
  if (head === 'overrides')
    return { where: { part: 'override', index: Number(/^\[(\d+)\]/.exec(rest)?.[1] ?? 0) }, what };
  if (head === 'timezone' || head === 'holidays' || head === 'hours') return { where: { part: head }, what };
  return { where: null, what: text };
}
