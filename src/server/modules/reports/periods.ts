/**
 * Report periods in a workspace's zone: a local day (`2026-10-05`), an ISO week (`2026-W41`,
 * Monday 00:00 to the next Monday 00:00) or a month (`2026-10`). Half-open `[start, end)` instants,
 * so a day across a daylight-saving change has 23 or 25 hours.
 */
import { dateOfDay, dayNumber, isoDateOfDay, localDayOf, localToInstant } from '../../lib/time/zoned-time.ts';

export const reportTypes = ['daily', 'weekly', 'monthly-ops', 'monthly-cs'] as const;
export type ReportType = (typeof reportTypes)[number];
export type PeriodKind = 'day' | 'week' | 'month';
export type Period = { kind: PeriodKind; key: string; zone: string; start: number; end: number };

export const kindOf = (type: ReportType): PeriodKind =>
  type === 'daily' ? 'day' : type === 'weekly' ? 'week' : 'month';

/** Day number of the Monday of ISO week `week` of `year`. */
function isoWeekMonday(year: number, week: number): number {
  const jan4 = dayNumber(year, 1, 4);
  const wd = (dateOfDay(jan4).weekday + 6) % 7; // Monday 0
  return jan4 - wd + (week - 1) * 7;
}

function isoWeekOf(dn: number): { year: number; week: number } {
  const wd = (dateOfDay(dn).weekday + 6) % 7;
  const thursday = dn - wd + 3;
  const year = dateOfDay(thursday).year;
  return { year, week: Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1 };
}

const span = (zone: string, kind: PeriodKind, key: string, firstDay: number, nextFirstDay: number): Period => ({
  kind,
  key,
  zone,
  start: localToInstant(zone, firstDay, 0),
  end: localToInstant(zone, nextFirstDay, 0),
});

/** The period a key names, or null when the key is malformed for the kind. */
export function parsePeriod(kind: PeriodKind, key: string, zone: string): Period | null {
  if (kind === 'day') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
    if (!m) return null;
    const dn = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
    if (isoDateOfDay(dn) !== key) return null;
    return span(zone, kind, key, dn, dn + 1);
  }
  if (kind === 'week') {
    const m = /^(\d{4})-W(\d{2})$/.exec(key);
    if (!m) return null;
    const monday = isoWeekMonday(Number(m[1]), Number(m[2]));
    const back = isoWeekOf(monday);
    if (back.year !== Number(m[1]) || back.week !== Number(m[2])) return null;
    return span(zone, kind, key, monday, monday + 7);
  }
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return span(zone, kind, key, dayNumber(y, mo, 1), mo === 12 ? dayNumber(y + 1, 1, 1) : dayNumber(y, mo + 1, 1));
}

/** The period of `kind` that contains the instant `at`. */
export function periodContaining(kind: PeriodKind, zone: string, at: number): Period {
  const dn = localDayOf(zone, at);
  if (kind === 'day') return parsePeriod(kind, isoDateOfDay(dn), zone)!;
  if (kind === 'week') {
    const w = isoWeekOf(dn);
    return parsePeriod(kind, `${w.year}-W${String(w.week).padStart(2, '0')}`, zone)!;
  }
  return parsePeriod(kind, isoDateOfDay(dn).slice(0, 7), zone)!;
}

/** The last complete period of `kind` before the instant `at` (what a schedule at `at` reports on). */
export function previousPeriod(kind: PeriodKind, zone: string, at: number): Period {
  const current = periodContaining(kind, zone, at);
  return periodContaining(kind, zone, current.start - 1);
}

/** The period `n` periods before `p` (n = 1: the one before). */
export function shiftPeriod(p: Period, n: number): Period {
  let q = p;
  for (let i = 0; i < n; i++) q = periodContaining(q.kind, q.zone, q.start - 1);
  return q;
}

/** Local day numbers of the period's days. */
export function daysOf(p: Period): number[] {
  const first = localDayOf(p.zone, p.start);
  const last = localDayOf(p.zone, p.end - 1);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
