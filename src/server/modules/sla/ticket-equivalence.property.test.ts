/**
 * The generic engine with the ticket profile gives exactly what the ticket clock gave before the
 * engine became generic (`frozen-ticket-clock.ts`, a verbatim copy), over random calendars,
 * policies and histories. The histories go beyond what the server writes, on purpose: events
 * before `created` and at its instant, a second `created`, several events at one instant, events
 * after `now`, statuses carried by replies, any order, and `at` as a Date, a number or text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN, calendarArb, instantArb } from '../../lib/time/test-fixtures.ts';
import { computeClock, nextCheckAt } from './clock.ts';
import { frozenComputeClock, frozenNextCheckAt } from './frozen-ticket-clock.ts';
import { eventTypes, ticketProfile, ticketStatuses, type SlaEvent, type SlaPolicy } from './ticket-profile.ts';

const minutesArb = fc.oneof(
  fc.integer({ min: 1, max: 3000 }),
  fc.double({ min: 0.001, max: 600, noNaN: true }), // fractional minutes round to whole milliseconds
);

/** Any policy the schema accepts, and some it would have defaulted (no pauseStatuses at all). */
const policyArb: fc.Arbitrary<SlaPolicy> = fc
  .record(
    {
      targets: fc
        .record(
          { firstResponse: minutesArb, nextResponse: minutesArb, periodicUpdate: minutesArb, resolution: minutesArb },
          { requiredKeys: [] },
        )
        .filter((t) => Object.keys(t).length > 0),
      businessHours: fc.boolean(),
      pauseStatuses: fc.subarray([...ticketStatuses]),
      warnAtShare: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    },
    { requiredKeys: ['targets', 'businessHours'] },
  )
  .map((p) => p as SlaPolicy);

const stepArb = fc.record({
  // Many zero gaps: ties are where ordering rules bite.
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 48 * 60 })),
  type: fc.constantFrom(...eventTypes),
  status: fc.option(fc.constantFrom(...ticketStatuses), { nil: undefined, freq: 2 }),
  form: fc.constantFrom('date', 'number', 'text'),
});

type Case = { events: SlaEvent[]; t0: number; times: number[] };

const historyArb: fc.Arbitrary<Case> = fc
  .record({
    t0: instantArb,
    createdStatus: fc.option(fc.constantFrom(...ticketStatuses), { nil: undefined, freq: 3 }),
    before: fc.array(stepArb, { maxLength: 3 }),
    after: fc.array(stepArb, { maxLength: 14 }),
    order: fc.constantFrom('sorted', 'shuffled'),
    seeds: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
  })
  .map(({ t0, createdStatus, before, after, order, seeds }) => {
    const events: SlaEvent[] = [];
    const times: number[] = [t0];
    const push = (at: number, s: (typeof after)[number]) => {
      // A status event always has a status (the schema requires it); other events may carry one.
      const status = s.type === 'status' ? (s.status ?? 'open') : s.status;
      const when = s.form === 'date' ? new Date(at) : s.form === 'number' ? at : new Date(at).toISOString();
      events.push({ at: when, type: s.type, ...(status ? { status } : {}) });
      times.push(at);
    };
    let t = t0;
    for (const s of before) push((t -= s.gap * MIN), s);
    events.push({ at: new Date(t0), type: 'created', ...(createdStatus ? { status: createdStatus } : {}) });
    t = t0;
    for (const s of after) push((t += s.gap * MIN), s);
    if (order === 'shuffled')
      for (let i = events.length - 1; i > 0; i--) {
        const j = seeds[i % seeds.length] % (i + 1);
        [events[i], events[j]] = [events[j], events[i]];
      }
    return { events, t0, times };
  });

/** `now` anywhere from before creation to weeks later, often exactly at an event. */
const nowArb = (c: Case) =>
  fc.oneof(
    fc.integer({ min: -120, max: 25 * 24 * 60 }).map((m) => c.t0 + m * MIN),
    fc.constantFrom(...c.times),
    fc.constantFrom(...c.times).map((t) => t + 1),
  );

const caseArb = fc
  .record({ cal: calendarArb(), policy: policyArb, h: historyArb })
  .chain((x) =>
    fc.record({ cal: fc.constant(x.cal), policy: fc.constant(x.policy), h: fc.constant(x.h), now: nowArb(x.h) }),
  );

describe('the ticket profile is the ticket clock as it was', () => {
  it('gives the same result, target for target, and the same next check', () => {
    fc.assert(
      fc.property(caseArb, ({ cal, policy, h, now }) => {
        const expected = frozenComputeClock(h.events, policy, cal, now);
        const actual = computeClock(h.events, policy, cal, now, ticketProfile);
        expect(actual).toStrictEqual(expected);
        expect(Object.keys(actual.targets)).toEqual(Object.keys(expected.targets));
        expect(nextCheckAt(actual)).toStrictEqual(frozenNextCheckAt(expected));
      }),
      { numRuns: 1500 },
    );
  });

  it('refuses the same histories, with the same message', () => {
    fc.assert(
      fc.property(
        calendarArb(),
        policyArb,
        historyArb.map((h) => ({ ...h, events: h.events.filter((e) => e.type !== 'created') })),
        (cal, policy, h) => {
          const run = (f: () => unknown) => {
            try {
              f();
              return null;
            } catch (err) {
              return (err as Error).message;
            }
          };
          const expected = run(() => frozenComputeClock(h.events, policy, cal, h.t0));
          expect(expected).toBe('the history has no "created" event');
          expect(run(() => computeClock(h.events, policy, cal, h.t0, ticketProfile))).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
