/**
 * Who is on call: a pure function of a roster, its overrides and an instant. A layer hands off at
 * a local wall-clock time in its zone (daily, or weekly on a weekday), so a DST change moves no
 * hand-off; the participants take turns in order from the start date. A roster is a base layer
 * plus higher layers; a layer may cover only some hours (e.g. 18:00–09:00 on weekdays, in its own
 * zone), and the highest layer covering an instant wins, so a night layer overrides the day
 * rotation for its hours. Where no layer covers an instant nobody is on call: a gap, warned when
 * the roster is saved. An override covering the instant wins over every layer (the latest
 * created first).
 */
import { dayNumber, formatInZone, localDayOf, localToInstant } from '../../../lib/time/index.ts';

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

/**
 * The local hours a layer covers: from `start` to `end` (minutes after midnight; `end <= start`
 * runs past midnight into the next day) on windows starting on `weekdays` (0 = Monday … 6 = Sunday).
 */
export type Hours = { start: number; end: number; weekdays: readonly number[] };

/** One layer of a roster (the base layer is the roster itself). */
export type Layer = Rotation & { name?: string; hours?: Hours | null };

/** A base layer and, above it, higher layers (later = higher). */
export type Roster = Layer & { layers?: readonly Layer[] };

export type Override = { userId: string; start: number; end: number };

export type Shift = {
  userId: string | null;
  start: number;
  end: number;
  override: boolean;
  /** The layer the person is on call through (0 = base), null when nobody is or by override. */
  layer?: number | null;
};

/**
 * `localToInstant`, remembered: a roster's boundaries are the same few local times over and over
 * (a gap scan of four weeks asks for each thousands of times), and each answer costs Intl calls.
 */
const instants = new Map<string, number>();
function localInstant(zone: string, day: number, minute: number): number {
  const key = `${zone}|${day}|${minute}`;
  let v = instants.get(key);
  if (v === undefined) {
    if (instants.size > 50_000) instants.clear();
    v = localToInstant(zone, day, minute);
    instants.set(key, v);
  }
  return v;
}

const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7; // day 0 = 1970-01-01, a Thursday (3)

/** The local day on which the shift containing `instant` was handed over, and the period in days. */
function shiftDay(r: Rotation, instant: number): { day: number; period: number } {
  let day = localDayOf(r.timezone, instant);
  if (instant < localInstant(r.timezone, day, r.handoffMinute)) day -= 1;
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
  const start = localInstant(r.timezone, day, r.handoffMinute);
  const end = localInstant(r.timezone, day + period, r.handoffMinute);
  if (!r.participants.length || day < first) return { userId: null, start, end, override: false };
  const index = Math.floor((day - first) / period) % r.participants.length;
  return { userId: r.participants[index], start, end, override: false };
}

/** The windows of `hours` that start on local days `from` … `to`, as instants. */
function windows(l: Layer, hours: Hours, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  for (let d = from; d <= to; d++) {
    if (!hours.weekdays.includes(weekdayOf(d))) continue;
    const start = localInstant(l.timezone, d, hours.start);
    const end = localInstant(l.timezone, hours.end > hours.start ? d : d + 1, hours.end);
    if (end > start) out.push([start, end]);
  }
  return out;
}

/** Whether a layer covers `instant`, and its nearest boundaries around it (hand-offs and window edges). */
function layerAt(l: Layer, instant: number): { userId: string | null; prev: number; next: number } {
  const s = rotationShift(l, instant);
  let { start: prev, end: next } = s;
  if (!l.hours) return { userId: s.userId, prev, next };
  const day = localDayOf(l.timezone, instant);
  let inside = false;
  for (const [a, b] of windows(l, l.hours, day - 8, day + 8)) {
    if (a <= instant && instant < b) inside = true;
    for (const edge of [a, b]) {
      if (edge <= instant && edge > prev) prev = edge;
      if (edge > instant && edge < next) next = edge;
    }
  }
  return { userId: inside ? s.userId : null, prev, next };
}

const layersOf = (r: Roster): readonly Layer[] => [r, ...(r.layers ?? [])];

/** One stretch of the roster without overrides: the highest layer covering `instant` (or nobody). */
function segmentAt(r: Roster, instant: number): Shift {
  let start = -Infinity;
  let end = Infinity;
  let userId: string | null = null;
  let layer: number | null = null;
  layersOf(r).forEach((l, i) => {
    const x = layerAt(l, instant);
    start = Math.max(start, x.prev);
    end = Math.min(end, x.next);
    if (x.userId !== null) [userId, layer] = [x.userId, i];
  });
  return { userId, start, end, override: false, layer };
}

/** The roster's shift at `instant` without overrides; consecutive stretches of one person on one layer are one shift. */
export function rosterShift(r: Roster, instant: number): Shift {
  const s = segmentAt(r, instant);
  if (!r.layers?.length && !r.hours) return s;
  // Boundaries of other layers split nothing for this person: run on while the same layer holds,
  // up to that layer's own next hand-off.
  const all = layersOf(r);
  for (let i = 0; i < 1000; i++) {
    if (s.layer !== null && s.layer !== undefined && rotationShift(all[s.layer], s.end).start === s.end) break;
    const next = segmentAt(r, s.end);
    if (next.userId !== s.userId || next.layer !== s.layer) break;
    s.end = next.end;
  }
  return s;
}

/** Who is on call at `instant`, overrides applied. */
export function onCallAt(r: Roster, overrides: readonly Override[], instant: number): Shift {
  const o = [...overrides].reverse().find((x) => instant >= x.start && instant < x.end);
  const base = rosterShift(r, instant);
  if (!o) {
    // The shift ends early when an override begins inside it, and resumes where one inside it ended.
    const cut = overrides.filter((x) => x.start > instant && x.start < base.end).map((x) => x.start);
    const resumed = overrides.filter((x) => x.end <= instant && x.end > base.start).map((x) => x.end);
    return {
      ...base,
      start: resumed.length ? Math.max(...resumed) : base.start,
      end: cut.length ? Math.min(...cut) : base.end,
    };
  }
  return {
    userId: o.userId,
    start: o.start,
    end: Math.min(o.end, base.end > o.start ? o.end : base.end),
    override: true,
    layer: null,
  };
}

/** The next `count` shifts from `from` (now, next, …). */
export function upcoming(r: Roster, overrides: readonly Override[], from: number, count: number): Shift[] {
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

/** Stretches in [from, until) with nobody on call (overrides count as cover), merged and in order. */
export function rosterGaps(
  r: Roster,
  overrides: readonly Override[],
  from: number,
  until: number,
): { start: number; end: number }[] {
  const gaps: { start: number; end: number }[] = [];
  for (let t = from, i = 0; t < until && i < 20_000; i++) {
    const o = overrides.find((x) => t >= x.start && t < x.end);
    let end: number;
    if (o) end = Math.min(...overrides.filter((x) => t >= x.start && t < x.end).map((x) => x.end));
    else {
      const s = segmentAt(r, t);
      end = Math.min(s.end, ...overrides.filter((x) => x.start > t).map((x) => x.start));
      if (s.userId === null) {
        const last = gaps.at(-1);
        const gapEnd = Math.min(end, until);
        if (last && last.end === t) last.end = gapEnd;
        else gaps.push({ start: t, end: gapEnd });
      }
    }
    if (end <= t) break;
    t = end;
  }
  return gaps;
}

export type RosterWarning =
  | { code: 'no_participants'; layer: number; message: string }
  | { code: 'gap'; start: number; end: number; message: string };

/** How far ahead a saved roster is checked for gaps: four weeks covers every weekly pattern. */
export const gapHorizonMs = 28 * 24 * 3_600_000;

/** Problems worth a warning when a roster is saved: a layer nobody is in, stretches with nobody on call. */
export function rotationWarnings(r: Roster, from: number, overrides: readonly Override[] = []): RosterWarning[] {
  const warnings: RosterWarning[] = [];
  layersOf(r).forEach((l, i) => {
    if (!l.participants.length)
      warnings.push({ code: 'no_participants', layer: i, message: `layer ${i} has no participants` });
  });
  for (const g of rosterGaps(r, overrides, from, from + gapHorizonMs))
    warnings.push({
      code: 'gap',
      start: g.start,
      end: g.end,
      message: `nobody is on call from ${formatInZone(r.timezone, g.start)} to ${formatInZone(r.timezone, g.end)}`,
    });
  return warnings;
}

export type CalendarBar = { userId: string; start: number; end: number };
export type RosterCalendar = {
  /** Each layer on its own (0 = base): who it names when it covers the hours, merged per person. */
  layers: CalendarBar[][];
  /** The overrides inside the window, clipped to it. */
  overrides: CalendarBar[];
  /** What results: the highest covering layer, overrides on top (nobody: no bar). */
  final: (CalendarBar & { override: boolean; layer: number | null })[];
};

/** The roster over [from, until) as a calendar draws it: each layer, the overrides, and the result. */
export function rosterCalendar(r: Roster, overrides: readonly Override[], from: number, until: number): RosterCalendar {
  const push = <T extends CalendarBar>(bars: T[], bar: T, same: (a: T, b: T) => boolean) => {
    const last = bars.at(-1);
    if (last && last.end === bar.start && last.userId === bar.userId && same(last, bar)) last.end = bar.end;
    else bars.push(bar);
  };
  const layers = layersOf(r).map((l) => {
    const bars: CalendarBar[] = [];
    for (let t = from, i = 0; t < until && i < 5000; i++) {
      const x = layerAt(l, t);
      const end = Math.min(x.next, until);
      if (x.userId !== null) push(bars, { userId: x.userId, start: t, end }, () => true);
      if (end <= t) break;
      t = end;
    }
    return bars;
  });
  const final: RosterCalendar['final'] = [];
  for (let t = from, i = 0; t < until && i < 5000; i++) {
    const s = onCallAt(r, overrides, t);
    const end = Math.min(s.end, until);
    if (s.userId !== null)
      push(
        final,
        { userId: s.userId, start: t, end, override: s.override, layer: s.layer ?? null },
        (a, b) => a.override === b.override && a.layer === b.layer,
      );
    if (end <= t) break;
    t = end;
  }
  return {
    layers,
    overrides: overrides
      .filter((o) => o.end > from && o.start < until)
      .map((o) => ({ userId: o.userId, start: Math.max(o.start, from), end: Math.min(o.end, until) })),
    final,
  };
}
