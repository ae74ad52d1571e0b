/** Properties of rotations: exactly one person at every instant, hand-offs at local time through DST, overrides win. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onCallAt, rotationShift, upcoming, type Rotation } from './rotation.ts';

const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney'];
const rotationArb: fc.Arbitrary<Rotation> = fc.record({
  timezone: fc.constantFrom(...zones),
  handoff: fc.constantFrom('daily', 'weekly'),
  handoffMinute: fc.integer({ min: 0, max: 1439 }),
  handoffWeekday: fc.integer({ min: 0, max: 6 }),
  startDate: fc.constantFrom('2025-01-06', '2025-03-01', '2025-10-20'),
  participants: fc.uniqueArray(fc.constantFrom('ana', 'bo', 'chen', 'dai', 'eve'), { minLength: 1, maxLength: 5 }),
});
const instantArb = fc.integer({ min: Date.parse('2025-11-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') });

describe('on-call rotations', () => {
  it('has exactly one person on call at every instant after the start, shifts tile time without gaps', () => {
    fc.assert(
      fc.property(rotationArb, instantArb, (r, t) => {
        const s = rotationShift(r, t);
        expect(s.userId).not.toBeNull();
        expect(s.start).toBeLessThanOrEqual(t);
        expect(s.end).toBeGreaterThan(t);
        // The next shift begins exactly where this one ends, with the next participant.
        const next = rotationShift(r, s.end);
        expect(next.start).toBe(s.end);
        const i = r.participants.indexOf(s.userId!);
        expect(next.userId).toBe(r.participants[(i + 1) % r.participants.length]);
        // Shifts last a day or a week, give or take a DST hour.
        const hours = (s.end - s.start) / 3_600_000;
        const expected = r.handoff === 'daily' ? 24 : 168;
        expect(Math.abs(hours - expected)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('lets an override take over exactly for its interval', () => {
    fc.assert(
      fc.property(rotationArb, instantArb, fc.integer({ min: 1, max: 72 * 60 }), (r, start, minutes) => {
        const o = { userId: 'sub', start, end: start + minutes * 60_000 };
        expect(onCallAt(r, [o], start).userId).toBe('sub');
        expect(onCallAt(r, [o], o.end - 1).userId).toBe('sub');
        expect(onCallAt(r, [o], o.end).userId).toBe(rotationShift(r, o.end).userId);
        const before = onCallAt(r, [o], start - 1);
        expect(before.end).toBeLessThanOrEqual(start);
        // The rotation resumes at the override's end (not at its own shift's start, before the override).
        const after = onCallAt(r, [o], o.end);
        expect(after.start).toBe(Math.max(o.end, rotationShift(r, o.end).start));
        // The shifts listed from before the override tile time: each begins where the previous ended.
        const list = upcoming(r, [o], start - 1, 4);
        for (let i = 1; i < list.length; i++) expect(list[i].start).toBe(list[i - 1].end);
      }),
      { numRuns: 300 },
    );
  });

  it('hands off at 09:00 local time on both sides of a DST change (New York, 2026-03-08)', () => {
    const r: Rotation = {
      timezone: 'America/New_York',
      handoff: 'daily',
      handoffMinute: 9 * 60,
      handoffWeekday: 0,
      startDate: '2026-03-06',
      participants: ['ana', 'bo'],
    };
    const shifts = upcoming(r, [], Date.parse('2026-03-07T10:00:00-05:00'), 3);
    expect(shifts.map((s) => [s.userId, new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['bo', '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z'], // 23 hours: the clocks sprang forward
      ['ana', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z'],
      ['bo', '2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z'],
    ]);
  });
});
