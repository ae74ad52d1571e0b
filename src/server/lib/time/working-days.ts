/**
 * Which hours a calendar works on a given local date, and the UTC instants those hours span.
 * Compiled once per calendar object (a WeakMap), because SLA math asks about the same days
 * over and over.
 */
import { badRequest } from '../errors.ts';
import { validateCalendar, parseHhmm, weekdayKeys, type Calendar, type HoursInterval } from './calendar.ts';
import { cnDayKind, cnDayName } from './cn-holidays.ts';
import { dayNumber, isoDateOfDay, dateOfDay, localToInstant } from './zoned-time.ts';

/** Minutes after local midnight, half-open. */
type MinuteSpan = [number, number];

export type DayKind = 'override' | 'holiday' | 'makeup_workday' | 'weekday';

export type DayPlan = {
  date: string;
  kind: DayKind;
  /** The holiday's or override's name, when known. */
  name: string | null;
  hours: HoursInterval[];
};

type Compiled = {
  timezone: string;
  weekly: MinuteSpan[][];
  weeklyText: HoursInterval[][];
  overrides: Map<string, { spans: MinuteSpan[]; text: HoursInterval[]; name: string | null }>;
  holidays: 'CN' | Set<string>;
  instants: Map<number, [number, number][]>;
};

const compiled = new WeakMap<Calendar, Compiled>();
const CACHE_DAYS = 4000;

const toSpans = (list: HoursInterval[]): MinuteSpan[] =>
  list
    .map(([s, e]) => [parseHhmm(s) as number, parseHhmm(e, true) as number] as MinuteSpan)
    .sort((a, b) => a[0] - b[0]);

/** The validated, pre-parsed form of a calendar; throws a 400 listing every problem. */
export function compile(calendar: Calendar): Compiled {
  let c = compiled.get(calendar);
  if (c) return c;
  const v = validateCalendar(calendar);
  if (!v.ok) throw badRequest(`invalid calendar: ${v.problems.join('; ')}`, { problems: v.problems });
  const cal = v.value;
  const weeklyText = weekdayKeys.map((k) => cal.hours[k] ?? []);
  c = {
    timezone: cal.timezone,
    weekly: weeklyText.map(toSpans),
    weeklyText,
    overrides: new Map(
      cal.overrides.map((o) => [o.date, { spans: toSpans(o.hours), text: o.hours, name: o.name ?? null }]),
    ),
    holidays: cal.holidays === 'CN' ? 'CN' : new Set(cal.holidays),
    instants: new Map(),
  };
  compiled.set(calendar, c);
  return c;
}

const MONDAY = 1;

function planOf(
  c: Compiled,
  dayNum: number,
): { kind: DayKind; name: string | null; spans: MinuteSpan[]; text: HoursInterval[] } {
  const date = isoDateOfDay(dayNum);
  const o = c.overrides.get(date);
  if (o) return { kind: 'override', name: o.name, spans: o.spans, text: o.text };
  if (c.holidays === 'CN') {
    const kind = cnDayKind(date);
    if (kind === 'holiday') return { kind: 'holiday', name: cnDayName(date), spans: [], text: [] };
    // A make-up workday (调休上班) replaces a weekday in the official arrangement; which weekday
    // is not stated, so it works a Monday's hours: the first full working day of the week.
    if (kind === 'makeup_workday')
      return { kind, name: cnDayName(date), spans: c.weekly[MONDAY], text: c.weeklyText[MONDAY] };
  } else if (c.holidays.has(date)) {
    return { kind: 'holiday', name: null, spans: [], text: [] };
  }
  const wd = dateOfDay(dayNum).weekday;
  return { kind: 'weekday', name: null, spans: c.weekly[wd], text: c.weeklyText[wd] };
}

/** What the calendar works on local date `YYYY-MM-DD`, and why. */
export function dayPlan(calendar: Calendar, isoDate: string): DayPlan {
  const [y, m, d] = isoDate.split('-').map(Number);
  const p = planOf(compile(calendar), dayNumber(y, m, d));
  return { date: isoDate, kind: p.kind, name: p.name, hours: p.text };
}

/**
 * The working intervals of local day `dayNum` as UTC instants [start, end), ascending and
 * disjoint. On DST days their real length differs from the wall-clock one; an interval that
 * the conversion makes empty (wholly inside a spring-forward gap) is dropped.
 */
export function workingInstants(c: Compiled, dayNum: number): [number, number][] {
  let out = c.instants.get(dayNum);
  if (out) return out;
  out = [];
  const { spans } = planOf(c, dayNum);
  for (const [s, e] of spans) {
    let start = localToInstant(c.timezone, dayNum, s);
    const end = localToInstant(c.timezone, dayNum, e);
    const prev = out[out.length - 1];
    if (prev && start < prev[1]) start = prev[1];
    if (end > start) out.push([start, end]);
  }
  if (c.instants.size >= CACHE_DAYS) c.instants.clear();
  c.instants.set(dayNum, out);
  return out;
}
