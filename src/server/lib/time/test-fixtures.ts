/** Calendars and generators shared by the tests of the time library and of the SLA engine (not imported by production code). */
import fc from 'fast-check';
import { validateCalendar, weekdayKeys, type Calendar, type CalendarInput, type HoursInterval } from './calendar.ts';
import { formatInZone, parseInstant } from './zoned-time.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;

export function calendar(input: CalendarInput): Calendar {
  const v = validateCalendar(input);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.value;
}

const office: HoursInterval[] = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];

/** The usual Chinese office calendar: Mon–Fri 09:00–12:00 and 13:30–18:00, mainland holidays. */
export const shanghai = calendar({
  timezone: 'Asia/Shanghai',
  hours: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] },
  holidays: 'CN',
});

/** Mon–Fri 09:00–17:00 in New York, no holidays. */
export const newYork = calendar({
  timezone: 'America/New_York',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
});

/** Parses local or offset ISO text in a zone (tests write wall-clock times). */
export const at = (text: string, tz = 'Asia/Shanghai'): number => {
  const t = parseInstant(text, tz);
  if (t === null) throw new Error(`bad test time ${text}`);
  return t;
};

export const fmt = (d: Date | number | null, tz = 'Asia/Shanghai'): string | null =>
  d === null ? null : formatInZone(tz, typeof d === 'number' ? d : d.getTime());

export const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin'] as const;

const hhmm = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Interval boundaries on a quarter-hour grid. Off-the-hour boundaries between 01:00 and 03:00 are
 * left out: on DST days those local times are skipped or repeated, where the engine's documented
 * choice (forward / first occurrence) and a naive per-minute oracle legitimately differ.
 */
export const boundaryMinutes = Array.from({ length: 97 }, (_, i) => i * 15).filter(
  (m) => m % 60 === 0 || m <= 60 || m >= 180,
);

export const dayHoursArb: fc.Arbitrary<HoursInterval[]> = fc
  .uniqueArray(fc.constantFrom(...boundaryMinutes), { minLength: 0, maxLength: 6 })
  .map((ms) => {
    const sorted = [...ms].sort((a, b) => a - b);
    const out: HoursInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([hhmm(sorted[i]), hhmm(sorted[i + 1])]);
    return out;
  });

export const calendarArb = (zoneArb: fc.Arbitrary<string> = fc.constantFrom(...zones)): fc.Arbitrary<Calendar> =>
  fc
    .record({
      timezone: zoneArb,
      days: fc.array(dayHoursArb, { minLength: 7, maxLength: 7 }),
      cn: fc.boolean(),
    })
    .filter((r) => r.days.some((d) => d.length > 0))
    .map((r) =>
      calendar({
        timezone: r.timezone,
        hours: Object.fromEntries(weekdayKeys.map((k, i) => [k, r.days[i]])),
        holidays: r.cn ? 'CN' : [],
      }),
    );

/** Instants from 2024 to the end of 2026 (the CN data covers them), on whole minutes. */
export const instantArb = fc
  .integer({ min: Date.UTC(2024, 0, 1) / MIN, max: Date.UTC(2026, 11, 1) / MIN })
  .map((m) => m * MIN);

export const DAY_MS = 86_400_000;

const oracleFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock at `t` in `tz`, read independently of the engine (Swedish locale = ISO layout). */
export function localDateTimeOf(tz: string, t: number): { date: string; minuteOfDay: number } {
  let f = oracleFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    oracleFormats.set(tz, f);
  }
  const [date, time] = f.format(t).split(' ');
  const [h, m] = time.split(':').map(Number);
  return { date, minuteOfDay: h * 60 + m };
}

/** The calendar date after `YYYY-MM-DD`. */
export const nextDate = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** DST change days 2024–2026 of the two DST zones the tests use. */
export const dstDays = {
  'America/New_York': ['2024-03-10', '2024-11-03', '2025-03-09', '2025-11-02', '2026-03-08', '2026-11-01'],
  'Europe/Berlin': ['2024-03-31', '2024-10-27', '2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25'],
} as const;

/** A DST zone, and an instant on a whole minute within 36 h of one of its changes. */
export const nearDstArb: fc.Arbitrary<{ timezone: string; t: number }> = fc
  .constantFrom(...(Object.keys(dstDays) as (keyof typeof dstDays)[]))
  .chain((timezone) =>
    fc.record({
      timezone: fc.constant(timezone),
      t: fc
        .tuple(fc.constantFrom(...dstDays[timezone]), fc.integer({ min: -36 * 60, max: 36 * 60 }))
        .map(([d, m]) => Date.parse(`${d}T06:00:00Z`) + m * MIN),
    }),
  );
