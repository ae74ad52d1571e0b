/** Properties of the clock engine over random calendars, policies and ticket histories. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, type Calendar, type Instant } from '../../lib/time/index.ts';
import { HOUR, MIN, calendarArb, instantArb, nearDstArb } from '../../lib/time/test-fixtures.ts';
import { computeClock as computeWith, nextCheckAt } from './clock.ts';
import {
  policySchema,
  ticketProfile,
  ticketStatuses,
  type SlaEvent,
  type SlaPolicy,
  type TargetName,
} from './ticket-profile.ts';

/** Every property here is about tickets: the generic engine with the ticket profile. */
const computeClock = (events: readonly SlaEvent[], policy: SlaPolicy, calendar: Calendar, now: Instant) =>
  computeWith(events, policy, calendar, now, ticketProfile);

const minutesArb = fc.integer({ min: 1, max: 3000 });

const policyArb: fc.Arbitrary<SlaPolicy> = fc
  .record({
    targets: fc.record(
      { firstResponse: minutesArb, nextResponse: minutesArb, periodicUpdate: minutesArb, resolution: minutesArb },
      { requiredKeys: ['firstResponse', 'resolution'] },
    ),
    businessHours: fc.boolean(),
    pauseStatuses: fc.subarray([...ticketStatuses.filter((s) => s !== 'solved' && s !== 'closed')]),
    warnAtShare: fc.option(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { nil: undefined }),
  })
  .map((p) => policySchema.parse(p));

const stepArb = fc.record({
  gap: fc.integer({ min: 0, max: 48 * 60 }),
  type: fc.constantFrom('status', 'agent_reply', 'customer_reply'),
  status: fc.constantFrom(...ticketStatuses),
});

/** A creation instant and a history of events at non-decreasing times after it. */
const historyArb = (startArb: fc.Arbitrary<number> = instantArb) =>
  fc.tuple(startArb, fc.array(stepArb, { maxLength: 12 })).map(([t0, steps]) => {
    const events: SlaEvent[] = [{ at: new Date(t0), type: 'created' }];
    let t = t0;
    for (const s of steps) {
      t += s.gap * MIN;
      events.push(
        s.type === 'status'
          ? { at: new Date(t), type: 'status', status: s.status }
          : { at: new Date(t), type: s.type as SlaEvent['type'] },
      );
    }
    return { t0, events, last: t };
  });

const caseArb = fc.record({ cal: calendarArb(), policy: policyArb, h: historyArb() });

const names: TargetName[] = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'];

describe('computeClock properties', () => {
  it('elapsed never decreases as now advances (per target, within one cycle)', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        ({ cal, policy, h }, d1, d2) => {
          const now1 = h.t0 + d1 * MIN;
          const now2 = now1 + d2 * MIN;
          const a = computeClock(h.events, policy, cal, now1);
          const b = computeClock(h.events, policy, cal, now2);
          for (const n of names) {
            const x = a.targets[n];
            const y = b.targets[n];
            if (!x) continue;
            expect(y, n).toBeDefined();
            if (y!.cycle === x.cycle) expect(y!.elapsedMs, n).toBeGreaterThanOrEqual(x.elapsedMs);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is consistent: remaining = target − elapsed; breach rule; running and under budget ⇒ not breached', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 20 * 24 * 60 }), ({ cal, policy, h }, d) => {
        const now = h.t0 + d * MIN;
        const r = computeClock(h.events, policy, cal, now);
        for (const c of Object.values(r.targets)) {
          expect(c.elapsedMs + c.remainingMs).toBe(c.targetMs);
          const due = c.dueAt.getTime();
          expect(c.breached).toBe(c.fulfilledAt ? c.fulfilledAt.getTime() > due : now > due);
          expect(c.breachedAt?.getTime() ?? null).toBe(c.breached ? due : null);
          if (c.elapsedMs < c.targetMs && !c.fulfilledAt) expect(c.breached).toBe(false);
          if (c.breached) expect(c.elapsedMs).toBeGreaterThanOrEqual(c.targetMs);
          if (c.warnAt) expect(c.warnAt.getTime()).toBeLessThanOrEqual(due);
        }
        const next = nextCheckAt(r);
        if (next) expect(next.getTime()).toBeGreaterThan(now);
      }),
      { numRuns: 200 },
    );
  });

  it('a deadline without pauses is addBusinessTime(created, target)', () => {
    fc.assert(
      fc.property(calendarArb(), policyArb, instantArb, (cal, policy, t0) => {
        const r = computeClock([{ at: new Date(t0), type: 'created' }], policy, cal, t0);
        for (const n of ['firstResponse', 'resolution'] as const) {
          const expected = addBusinessTime(cal, t0, policy.targets[n]! * MIN, { businessHours: policy.businessHours });
          expect(r.targets[n]?.dueAt).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  const pauseArb = fc.oneof(
    fc.record({ cal: calendarArb(), t0: instantArb }),
    nearDstArb.chain(({ timezone, t }) =>
      fc.record({ cal: calendarArb(fc.constant(timezone)), t0: fc.constant(t - 24 * HOUR) }),
    ),
  );

  it('a pause adds exactly its in-hours length to the deadline (Shanghai, New York, Berlin)', () => {
    fc.assert(
      fc.property(
        pauseArb,
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.integer({ min: 1, max: 3 * 24 * 60 }),
        fc.constantFrom('pending', 'on_hold'),
        ({ cal, t0 }, minutes, startIn, length, status) => {
          const policy = policySchema.parse({ targets: { resolution: minutes } });
          const p1 = t0 + startIn * MIN;
          const p2 = p1 + length * MIN;
          const now = p2 + HOUR;
          const created: SlaEvent = { at: new Date(t0), type: 'created' };
          const plain = computeClock([created], policy, cal, now).targets.resolution!;
          const paused = computeClock(
            [
              created,
              { at: new Date(p1), type: 'status', status },
              { at: new Date(p2), type: 'status', status: 'open' },
            ],
            policy,
            cal,
            now,
          ).targets.resolution!;
          const due0 = plain.dueAt.getTime();
          if (p1 < due0) {
            const inHours = businessTimeBetween(cal, p1, p2);
            expect(businessTimeBetween(cal, due0, paused.dueAt)).toBe(inHours);
            expect(paused.dueAt).toEqual(addBusinessTime(cal, due0, inHours));
            expect(plain.elapsedMs - paused.elapsedMs).toBe(inHours);
          } else {
            expect(paused.dueAt).toEqual(plain.dueAt); // a pause after the deadline is too late to move it
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order events are given in (ties keep their given order)', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        fc.infiniteStream(fc.nat()),
        ({ cal, policy, h }, d, seeds) => {
          const now = h.t0 + d * MIN;
          // A shuffle that only swaps events with different times, so that ties keep their order.
          const shuffled = [...h.events];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = seeds.next().value % (i + 1);
            if (+shuffled[i].at !== +shuffled[j].at) [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
          }
          const sorted = [...shuffled].sort((a, b) => +a.at - +b.at);
          fc.pre(sorted.every((e, i) => e === h.events[i]));
          expect(computeClock(shuffled, policy, cal, now)).toEqual(computeClock(h.events, policy, cal, now));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a larger target never gives an earlier deadline (re-targeting keeps start and pauses)', () => {
    fc.assert(
      fc.property(
        caseArb,
        minutesArb,
        minutesArb,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        ({ cal, policy, h }, m1, m2, d) => {
          const now = h.t0 + d * MIN;
          const with_ = (m: number) =>
            computeClock(h.events, { ...policy, targets: { resolution: m } }, cal, now).targets.resolution!;
          const a = with_(Math.min(m1, m2));
          const b = with_(Math.max(m1, m2));
          expect(b.dueAt.getTime()).toBeGreaterThanOrEqual(a.dueAt.getTime());
          expect(b.startedAt).toEqual(a.startedAt);
          expect(b.elapsedMs).toBe(a.elapsedMs);
        },
      ),
      { numRuns: 150 },
    );
  });
});
