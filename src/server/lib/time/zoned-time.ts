/**
 * Wall-clock ↔ instant conversion in an IANA time zone, with `Intl` only: Temporal is not in
 * every Node version `engines` allows, and a date library would be a dependency for ~100 lines.
 *
 * Local dates are handled as "day numbers" (days since 1970-01-01 in the proleptic Gregorian
 * calendar, independent of any zone) so that day arithmetic never touches DST.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the zone (IANA names, case-insensitive, and fixed offsets like `+08:00`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export type LocalDateTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
};

/** The wall-clock reading of `instant` in `timeZone`, from `Intl` (slow: ~10 µs a call). */
export function toLocalByIntl(timeZone: string, instant: number): LocalDateTime {
  const ms = ((instant % 1000) + 1000) % 1000;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant - ms)) p[part.type] = part.value;
  const y = Number(p.year);
  return {
    year: p.era === 'BC' || p.era === 'B' ? 1 - y : y,
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    ms,
  };
}

const HOUR = 3_600_000;
/** Per zone, per hour since the epoch: the offset in effect through that whole hour, or NaN when it changes within it. */
const hourOffsets = new Map<string, Map<number, number>>();

function hourOffset(timeZone: string, instant: number): number {
  let cache = hourOffsets.get(timeZone);
  if (!cache) hourOffsets.set(timeZone, (cache = new Map()));
  const hour = Math.floor(instant / HOUR);
  let off = cache.get(hour);
  if (off === undefined) {
    // The same offset at the hour's first and last millisecond: no transition inside it (no zone
    // has two transitions within an hour), so every instant of the hour has that offset.
    const first = hour * HOUR;
    const last = first + HOUR - 1;
    const a = utcOf(toLocalByIntl(timeZone, first)) - first;
    const b = utcOf(toLocalByIntl(timeZone, last)) - last;
    off = a === b ? a : NaN;
    if (cache.size >= 100_000) cache.clear();
    cache.set(hour, off);
  }
  return off;
}

/**
 * The wall-clock reading of `instant` in `timeZone`. Exact, and fast on repeated use: the zone's
 * offset is asked of `Intl` once per hour of time touched (a month's report converts millions of
 * instants); an hour with a transition inside it is read through `Intl` instant by instant.
 */
export function toLocal(timeZone: string, instant: number): LocalDateTime {
  const off = hourOffset(timeZone, instant);
  if (Number.isNaN(off)) return toLocalByIntl(timeZone, instant);
  const d = new Date(instant + off);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

/** UTC offset (ms, east positive) in effect at `instant`. */
export function offsetAt(timeZone: string, instant: number): number {
  const l = toLocal(timeZone, instant);
  return utcOf(l) - instant;
}

function utcOf(l: LocalDateTime): number {
  const d = new Date(0);
  d.setUTCFullYear(l.year, l.month - 1, l.day);
  d.setUTCHours(l.hour, l.minute, l.second, l.ms);
  return d.getTime();
}

/** Days since 1970-01-01 of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(utcOf({ year, month, day, hour: 0, minute: 0, second: 0, ms: 0 }) / DAY);
}

export type LocalDate = { year: number; month: number; day: number; weekday: number };

/** The calendar date of a day number; weekday 0 = Sunday … 6 = Saturday. */
export function dateOfDay(dayNum: number): LocalDate {
  const d = new Date(dayNum * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** `YYYY-MM-DD` of a day number. */
export function isoDateOfDay(dayNum: number): string {
  const { year, month, day } = dateOfDay(dayNum);
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** The local day number that `instant` falls on in `timeZone`. */
export function localDayOf(timeZone: string, instant: number): number {
  const l = toLocal(timeZone, instant);
  return dayNumber(l.year, l.month, l.day);
}

/**
 * The instant at which the wall clock in `timeZone` reads `minuteOfDay` minutes after midnight
 * of local day `dayNum` (1440 = the next day's midnight, for "24:00").
 *
 * The two DST edge cases follow RFC 5545 and Temporal's `compatible` disambiguation:
 * - a nonexistent time (spring forward) is read with the offset in effect before the gap, so it
 *   moves forward by the gap's length (New York 02:30 on 2025-03-09 → 03:30 EDT);
 * - an ambiguous time (fall back) is its first occurrence (New York 01:30 on 2025-11-02 → EDT).
 */
export function localToInstant(timeZone: string, dayNum: number, minuteOfDay: number, extraMs = 0): number {
  const naive = dayNum * DAY + minuteOfDay * MINUTE + extraMs;
  // The true instant lies within ±14 h of the naive one; offsets a day either side bracket it,
  // assuming (as every real zone does) at most one transition in those 48 hours.
  const before = offsetAt(timeZone, naive - DAY);
  const after = offsetAt(timeZone, naive + DAY);
  const withBefore = naive - before;
  const withAfter = naive - after;
  const okBefore = offsetAt(timeZone, withBefore) === before;
  const okAfter = offsetAt(timeZone, withAfter) === after;
  if (okBefore && okAfter) return Math.min(withBefore, withAfter); // ambiguous (or no transition): first occurrence
  if (okBefore) return withBefore;
  if (okAfter) return withAfter;
  return withBefore; // in the gap: the pre-transition offset carries the time forward
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * ISO-8601 in the zone with its offset, e.g. `2025-10-09T09:20:00+08:00`; milliseconds only when
 * they are not zero. Offsets with seconds (pre-1900 local mean time) are rounded to the minute
 * in the suffix only; such dates do not occur in SLA work.
 */
export function formatInZone(timeZone: string, instant: number): string {
  const l = toLocal(timeZone, instant);
  const offMin = Math.round((utcOf(l) - instant) / MINUTE);
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  const frac = l.ms ? `.${pad(l.ms, 3)}` : '';
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}${frac}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 date-time. With `Z` or an offset it is that instant; without one it is a
 * wall-clock time read in `timeZone` (the calendar's), so files can be written in local time.
 * Returns null for anything else (date-only strings, impossible dates, 24:00).
 */
export function parseInstant(text: string, timeZone: string): number | null {
  const m = isoPattern.exec(text.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss = '0', fs = '', zone] = m;
  const [year, month, day, hour, minute, second] = [ys, mos, ds, hs, mis, ss].map(Number);
  const ms = Number(fs.padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const dn = dayNumber(year, month, day);
  const check = dateOfDay(dn);
  if (check.month !== month || check.day !== day) return null;
  const extra = second * 1000 + ms;
  if (!zone) return localToInstant(timeZone, dn, hour * 60 + minute, extra);
  if (zone.toUpperCase() === 'Z') return dn * DAY + (hour * 60 + minute) * MINUTE + extra;
  const digits = zone.replace(':', '');
  const offH = Number(digits.slice(1, 3));
  const offM = Number(digits.slice(3, 5));
  if (offH > 23 || offM > 59) return null;
  const off = (digits[0] === '-' ? -1 : 1) * (offH * 60 + offM);
  return dn * DAY + (hour * 60 + minute - off) * MINUTE + extra;
}
