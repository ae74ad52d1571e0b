/** Properties of the customer-service figures over random conversations. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCsFigures, nearestRank, type CsConversation, type CsInput } from './cs-figures.ts';

const T0 = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
const timeArb = fc.integer({ min: T0 - 5 * DAY, max: T0 + 40 * DAY });

const conversationArb = (id: string): fc.Arbitrary<CsConversation> =>
  fc
    .record({
      createdAt: timeArb,
      messages: fc.array(
        fc.record({
          dt: fc.integer({ min: 0, max: 3 * DAY }),
          from: fc.constantFrom('customer' as const, 'agent' as const, 'bot' as const),
          agentId: fc.constantFrom('a1', 'a2', 'a3'),
        }),
        { maxLength: 8 },
      ),
      resolved: fc.array(fc.integer({ min: 0, max: 10 * DAY }), { maxLength: 3 }),
      reopened: fc.array(fc.integer({ min: 0, max: 10 * DAY }), { maxLength: 2 }),
    })
    .map((r) => ({
      id,
      createdAt: r.createdAt,
      messages: r.messages.map((m) => ({
        at: r.createdAt + m.dt,
        from: m.from,
        agentId: m.from === 'agent' ? m.agentId : null,
      })),
      resolvedAt: r.resolved.map((d) => r.createdAt + d),
      reopenedAt: r.reopened.map((d) => r.createdAt + d),
    }));

const inputArb: fc.Arbitrary<CsInput> = fc.integer({ min: 0, max: 25 }).chain((n) =>
  fc.record({
    period: fc.constant({ start: T0, end: T0 + 31 * DAY }),
    conversations: fc.tuple(...Array.from({ length: n }, (_, i) => conversationArb(`c${i}`))),
    ratings: fc.array(
      fc.record({
        conversationId: fc.constantFrom('c0', 'c1', 'zz'),
        score: fc.integer({ min: 1, max: 5 }),
        at: timeArb,
      }),
    ),
  }),
);

describe('customer-service figure properties', () => {
  it('nearest rank returns a member with at least p % of the values at or below it and fewer below', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const v = nearestRank(sorted, p)!;
          expect(sorted).toContain(v);
          expect(sorted.filter((x) => x <= v).length * 100).toBeGreaterThanOrEqual(p * sorted.length);
          expect(sorted.filter((x) => x < v).length * 100).toBeLessThan(p * sorted.length);
        },
      ),
    );
  });

  it('rates lie in 0–100 with at most two decimals, p50 ≤ p90, and order does not matter', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const f = computeCsFigures(input);
        for (const r of [f.resolutionRate, f.fcr, f.csat.percent])
          if (r !== null) {
            expect(r).toBeGreaterThanOrEqual(0);
            expect(r).toBeLessThanOrEqual(100);
            expect(Math.round(r * 100) / 100).toBe(r);
          }
        for (const d of [f.frt, f.resolution]) if (d.count) expect(d.p50!).toBeLessThanOrEqual(d.p90!);
        const reversed = {
          ...input,
          conversations: [...input.conversations].reverse(),
          ratings: [...input.ratings].reverse(),
        };
        expect(computeCsFigures(reversed)).toEqual(f);
      }),
    );
  });

  it('bot messages never change a figure', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: DAY }), (input, dt) => {
        const withBot = {
          ...input,
          conversations: input.conversations.map((c) => ({
            ...c,
            messages: [...c.messages, { at: c.createdAt + dt, from: 'bot' as const, agentId: null }],
          })),
        };
        expect(computeCsFigures(withBot)).toEqual(computeCsFigures(input));
      }),
    );
  });

  it('splitting a period in two adds up the counts of first responses and first resolutions', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 30 }), (input, cut) => {
        const mid = input.period.start + cut * DAY;
        const a = computeCsFigures({ ...input, period: { start: input.period.start, end: mid } });
        const b = computeCsFigures({ ...input, period: { start: mid, end: input.period.end } });
        const all = computeCsFigures(input);
        expect(a.frt.count + b.frt.count).toBe(all.frt.count);
        expect(a.resolution.count + b.resolution.count).toBe(all.resolution.count);
        expect(a.csat.count + b.csat.count).toBe(all.csat.count);
      }),
    );
  });
});
