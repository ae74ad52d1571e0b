/**
 * Who is on call: a pure function of a rotation, its overrides and an instant. Hand-offs happen
 * at a local wall-clock time in the rotation's zone (daily, or weekly on a weekday), so a DST
 * change moves no hand-off and leaves no gap; the participants take turns in order from the
 * start date. An override covering the instant wins (the latest created first).
 */
import { dayNumber, localDayOf, localToInstant } from '../../../lib/time/index.ts';

export type Rotation = {
  timezone: string;
  handoff: 'daily' | 'weekly';
  /** Minutes after local midnight, e.g. 540 = 09:00. */
  handoffMinute: number;
  /** 0 = Monday … 6 = Sunday (weekly hand-offs only). */
  handoffWeekday: number;
  /** YYYY-MM-DD: the first shift (of participants[0]) begins at the first hand-off on or after this date. */
  startDate: string;
  participants: readonly string[];
};

export type Override = { userId: string; start: number; end: number };

export type Shift = { userId: string | null; start: number; end: number; override: boolean };

const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7; // day 0 = 1970-01-01, a Thursday (3)

/** The local day on which the shift containing `instant` was handed over, and the period in days. */
function shiftDay(r: Rotation, instant: number): { day: number; period: number } {
  let day = localDayOf(r.timezone, instant);
  if (instant < localToInstant(r.timezone, day, r.handoffMinute)) day -= 1;
  if (r.handoff === 'daily') return { day, period: 1 };
  day -= (weekdayOf(day) - r.handoffWeekday + 7) % 7;
  return { day, period: 7 };
}

function firstDay(r: Rotation): number {
  const [y, m, d] = r.startDate.split('-').map(Number);
  const start = dayNumber(y, m, d);
  return r.handoff === 'daily' ? start : start + ((r.handoffWeekday - weekdayOf(start) + 7) % 7);
}

/** The rotation's shift at `instant` (before the first hand-off: nobody). */
export function rotationShift(r: Rotation, instant: number): Shift {
  const { day, period } = shiftDay(r, instant);
  const first = firstDay(r);
  const start = localToInstant(r.timezone, day, r.handoffMinute);
  const end = localToInstant(r.timezone, day + period, r.handoffMinute);
  if (!r.participants.length || day < first) return { userId: null, start, end, override: false };
  const index = Math.floor((day - first) / period) % r.participants.length;
  return { userId: r.participants[index], start, end, override: false };
}

/** Who is on call at `instant`, overrides applied. */
export function onCallAt(r: Rotation, overrides: readonly Override[], instant: number): Shift {
  const o = [...overrides].reverse().find((x) => instant >= x.start && instant < x.end);
  const base = rotationShift(r, instant);
  if (!o) {
    // The shift ends early when an override begins inside it.
    const cut = overrides.filter((x) => x.start > instant && x.start < base.end).map((x) => x.start);
    return cut.length ? { ...base, end: Math.min(...cut) } : base;
  }
  return {
    userId: o.userId,
    start: o.start,
    end: Math.min(o.end, base.end > o.start ? o.end : base.end),
    override: true,
  };
}

/** The next `count` shifts from `from` (now, next, …). */
export function upcoming(r: Rotation, overrides: readonly Override[], from: number, count: number): Shift[] {
  const out: Shift[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    const s = onCallAt(r, overrides, t);
    out.push(s);
    if (s.end <= t) break;
    t = s.end;
  }
  return out;
}

/** Problems worth a warning when a rotation is saved: nobody in it, or stretches with nobody on call. */
export function rotationWarnings(r: Rotation, from: number): string[] {
  const warnings: string[] = [];
  if (!r.participants.length) warnings.push('the rotation has no participants: nobody is on call');
  const first = localToInstant(r.timezone, firstDay(r), r.handoffMinute);
  if (first > from) warnings.push(`nobody is on call before the first hand-off (${new Date(first).toISOString()})`);
  return warnings;
}
