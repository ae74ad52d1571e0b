/**
 * Properties of layered rosters: the highest layer covering an instant wins (checked against a
 * brute-force reading of local wall-clock time with Intl, independent of the engine), shifts tile
 * time, and the gaps reported are exactly the instants with nobody on call. Zones with DST on
 * both hemispheres; hours avoid 01:00–03:59, where DST moves local times that do not exist.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  onCallAt,
  rosterGaps,
  rosterShift,
  rotationShift,
  rotationWarnings,
  type Hours,
  type Layer,
  type Roster,
} from './rotation.ts';

const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney'];
const people = ['ana', 'bo', 'chen', 'dai', 'eve', 'fu'];
const minuteArb = fc.constantFrom(0, 4 * 60, 6 * 60 + 30, 9 * 60, 12 * 60, 18 * 60, 20 * 60 + 30, 22 * 60);
const hoursArb: fc.Arbitrary<Hours> = fc.record({
  start: minuteArb,
  end: minuteArb,
  weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
});
const layerArb: fc.Arbitrary<Layer> = fc.record({
  timezone: fc.constantFrom(...zones),
  handoff: fc.constantFrom('daily' as const, 'weekly' as const),
  handoffMinute: minuteArb,
  handoffWeekday: fc.integer({ min: 0, max: 6 }),
  startDate: fc.constantFrom('2025-01-06', '2025-06-01'),
  participants: fc.uniqueArray(fc.constantFrom(...people), { minLength: 1, maxLength: 4 }),
  hours: fc.option(hoursArb, { nil: null }),
});
const rosterArb: fc.Arbitrary<Roster> = fc
  .tuple(layerArb, fc.array(layerArb, { maxLength: 3 }))
  .map(([base, layers]) => ({ ...base, layers }));
const instantArb = fc.integer({ min: Date.parse('2025-11-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') });

/** Local weekday (0 = Monday) and minute of day, read with Intl (not the engine's zone maths). */
const formats = new Map(
  zones.map((zone) => [
    zone,
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
  ]),
);
function local(zone: string, t: number): { weekday: number; minute: number } {
  const parts = formats.get(zone)!.formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  return { weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

function covers(h: Hours | null | undefined, zone: string, t: number): boolean {
  if (!h) return true;
  const { weekday, minute } = local(zone, t);
  if (h.end > h.start) return h.weekdays.includes(weekday) && minute >= h.start && minute < h.end;
  const yesterday = (weekday + 6) % 7;
  return (h.weekdays.includes(weekday) && minute >= h.start) || (h.weekdays.includes(yesterday) && minute < h.end);
}

/** The brute-force answer: the highest layer that has begun and whose hours cover t. */
function expected(r: Roster, t: number): { userId: string | null; layer: number | null } {
  const all = [r, ...(r.layers ?? [])];
  for (let i = all.length - 1; i >= 0; i--) {
    const userId = rotationShift(all[i], t).userId;
    if (userId !== null && covers(all[i].hours, all[i].timezone, t)) return { userId, layer: i };
  }
  return { userId: null, layer: null };
}

// Each run computes dozens of zoned instants: generous time on a loaded machine.
describe('layered on-call rosters', { timeout: 180_000 }, () => {
  it('puts the highest layer covering an instant on call (brute force over local wall-clock time)', () => {
    fc.assert(
      fc.property(rosterArb, instantArb, (r, t) => {
        const s = onCallAt(r, [], t);
        expect({ userId: s.userId, layer: s.layer }).toEqual(expected(r, t));
        expect(s.start).toBeLessThanOrEqual(t);
        expect(s.end).toBeGreaterThan(t);
        // Nothing changes inside the shift: its last millisecond has the same person on the same layer.
        expect(expected(r, s.end - 1)).toEqual({ userId: s.userId, layer: s.layer });
      }),
      { numRuns: 250 },
    );
  });

  it('tiles time: the next shift begins where this one ends, with someone else, another layer or a hand-off', () => {
    fc.assert(
      fc.property(rosterArb, instantArb, (r, t) => {
        const s = rosterShift(r, t);
        const next = rosterShift(r, s.end);
        expect(next.start).toBe(s.end);
        // The same person on the same layer again only at one of that layer's hand-offs (to itself).
        if (next.userId === s.userId && next.layer === s.layer && s.layer !== null && s.layer !== undefined)
          expect(rotationShift([r, ...(r.layers ?? [])][s.layer], s.end).start).toBe(s.end);
        else expect([next.userId, next.layer]).not.toEqual([s.userId, s.layer]);
      }),
      { numRuns: 300 },
    );
  });

  it('reports exactly the instants with nobody on call as gaps', () => {
    fc.assert(
      fc.property(
        rosterArb,
        instantArb,
        fc.array(fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }), { minLength: 20, maxLength: 20 }),
        (r, from, offsets) => {
          const until = from + 7 * 24 * 3_600_000;
          const gaps = rosterGaps(r, [], from, until);
          for (const [i, g] of gaps.entries()) {
            expect(g.start).toBeLessThan(g.end);
            if (i > 0) expect(g.start).toBeGreaterThan(gaps[i - 1].end); // merged: never touching
          }
          for (const m of offsets) {
            const t = from + m * 60_000;
            const inGap = gaps.some((g) => t >= g.start && t < g.end);
            expect(inGap).toBe(expected(r, t).userId === null);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never warns of a gap when the base layer runs around the clock and has begun', () => {
    fc.assert(
      fc.property(rosterArb, instantArb, (r, t) => {
        const roster = { ...r, hours: null, startDate: '2025-01-06' };
        expect(rotationWarnings(roster, t).filter((w) => w.code === 'gap')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('lets a night layer take over from the day rotation for its hours, across a DST change (New York)', () => {
    const roster: Roster = {
      timezone: 'America/New_York',
      handoff: 'weekly',
      handoffMinute: 9 * 60,
      handoffWeekday: 0,
      startDate: '2026-03-02',
      participants: ['ana', 'bo'],
      layers: [
        {
          name: 'night',
          timezone: 'America/New_York',
          handoff: 'daily',
          handoffMinute: 18 * 60,
          handoffWeekday: 0,
          startDate: '2026-03-02',
          participants: ['night1', 'night2'],
          hours: { start: 18 * 60, end: 9 * 60, weekdays: [0, 1, 2, 3, 4, 5, 6] },
        },
      ],
    };
    // Saturday 2026-03-07 noon EST: the day rotation (ana's week); 23:00: the night layer, whose
    // daily turns from Monday 03-02 make Saturday's night2's.
    expect(onCallAt(roster, [], Date.parse('2026-03-07T12:00:00-05:00'))).toMatchObject({ userId: 'ana', layer: 0 });
    const night = onCallAt(roster, [], Date.parse('2026-03-07T23:00:00-05:00'));
    expect(night).toMatchObject({ userId: 'night2', layer: 1 });
    // The clocks spring forward at 02:00 on Sunday 03-08: the night shift still ends at 09:00 local (EDT).
    expect(new Date(night.end).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(onCallAt(roster, [], Date.parse('2026-03-08T09:00:00-04:00'))).toMatchObject({ userId: 'ana', layer: 0 });
    expect(new Date(rosterShift(roster, Date.parse('2026-03-08T09:00:00-04:00')).end).toISOString()).toBe(
      '2026-03-08T22:00:00.000Z', // 18:00 EDT
    );
  });

  it('warns of the evenings and weekends a business-hours rotation leaves uncovered, and not once a layer covers them', () => {
    const day: Roster = {
      timezone: 'Asia/Shanghai',
      handoff: 'weekly',
      handoffMinute: 9 * 60,
      handoffWeekday: 0,
      startDate: '2026-03-02',
      participants: ['ana', 'bo'],
      hours: { start: 9 * 60, end: 18 * 60, weekdays: [0, 1, 2, 3, 4] },
    };
    const from = Date.parse('2026-03-09T10:00:00+08:00'); // a Monday
    const gaps = rotationWarnings(day, from).filter((w) => w.code === 'gap');
    expect(gaps.length).toBe(20); // 4 weeks × (4 weeknights + 1 weekend)
    expect(gaps[0]).toMatchObject({
      message: 'nobody is on call from 2026-03-09T18:00:00+08:00 to 2026-03-10T09:00:00+08:00',
    });
    const covered: Roster = {
      ...day,
      layers: [
        {
          name: 'after hours',
          timezone: 'Asia/Shanghai',
          handoff: 'weekly',
          handoffMinute: 18 * 60,
          handoffWeekday: 0,
          startDate: '2026-03-02',
          participants: ['chen'],
          // Sunday evening too: Monday before 09:00 is its night.
          hours: { start: 18 * 60, end: 9 * 60, weekdays: [0, 1, 2, 3, 4, 6] },
        },
        {
          name: 'weekend',
          timezone: 'Asia/Shanghai',
          handoff: 'weekly',
          handoffMinute: 0,
          handoffWeekday: 5,
          startDate: '2026-03-02',
          participants: ['dai'],
          hours: { start: 0, end: 0, weekdays: [5, 6] },
        },
      ],
    };
    expect(rotationWarnings(covered, from)).toEqual([]);
  });
});
