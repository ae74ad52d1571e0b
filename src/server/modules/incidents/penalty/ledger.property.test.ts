/** Properties of the penalty ledger over random contracts and incident sets. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLedger, parseContract, statementOf, type Contract, type IncidentRecord } from './index.ts';

const HOUR = 3_600_000;
const termStart = Date.parse('2026-01-01T00:00:00+08:00');
const termEnd = Date.parse('2027-01-01T00:00:00+08:00');

const contractArb: fc.Arbitrary<Contract> = fc
  .record({
    total: fc.integer({ min: 1, max: 10_000_000_000 }).map((c) => c / 100),
    rounding: fc.constantFrom('per_started_hour', 'whole_hours', 'pro_rata'),
    capScope: fc.constantFrom('term', 'month', 'incident'),
    ratePercentPerHour: fc.integer({ min: 0, max: 50_000 }).map((x) => x / 10_000),
    capPercent: fc.integer({ min: 0, max: 200_000 }).map((x) => x / 10_000),
    responseDeducts: fc.boolean(),
    promo: fc.option(fc.integer({ min: 0, max: 360 }), { nil: undefined }),
  })
  .map(({ promo, ...c }) => {
    const r = parseContract({
      ...c,
      currency: 'CNY',
      term: { start: new Date(termStart).toISOString(), end: new Date(termEnd).toISOString() },
      promotions:
        promo === undefined
          ? []
          : [
              {
                name: 'promo',
                start: new Date(termStart + promo * 24 * HOUR).toISOString(),
                end: new Date(termStart + (promo + 5) * 24 * HOUR).toISOString(),
              },
            ],
    });
    if (!r.ok) throw new Error(r.problems.join('; '));
    return r.value;
  });

const incidentArb = (i: number): fc.Arbitrary<IncidentRecord> =>
  fc
    .record({
      severity: fc.constantFrom('P1', 'P2', 'P3'),
      declared: fc.integer({ min: termStart - 10 * 24 * HOUR, max: termEnd + 10 * 24 * HOUR }),
      ack: fc.option(fc.integer({ min: 0, max: 3 * HOUR }), { nil: null }),
      resolveAfter: fc.option(fc.integer({ min: 0, max: 30 * HOUR }), { nil: null }),
      mode: fc.constantFrom('real', 'real', 'real', 'drill'),
      cancelled: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    })
    .map((r) => {
      const resolvedAt = r.resolveAfter === null ? null : r.declared + r.resolveAfter;
      const ack = r.ack === null ? null : r.declared + r.ack;
      return {
        id: `inc-${i}`,
        severity: r.severity,
        declaredAt: r.declared,
        acknowledgedAt: ack !== null && resolvedAt !== null && ack > resolvedAt ? resolvedAt : ack,
        resolvedAt,
        mode: r.mode,
        cancelled: r.cancelled,
      };
    });

const incidentsArb = fc
  .integer({ min: 0, max: 25 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => incidentArb(i))));

const now = termEnd + 30 * 24 * HOUR;

describe('penalty ledger properties', () => {
  it('never deducts more than the cap within a cap scope, and never more than it would without the cap', () => {
    fc.assert(
      fc.property(contractArb, incidentsArb, (contract, incidents) => {
        const l = computeLedger(contract, incidents, now);
        const buckets = new Map<string, number>();
        for (const line of l.lines) {
          expect(line.deductionCents).toBeGreaterThanOrEqual(0);
          expect(line.deductionCents).toBeLessThanOrEqual(line.rawCents);
          buckets.set(line.capBucket, (buckets.get(line.capBucket) ?? 0) + line.deductionCents);
        }
        for (const sum of buckets.values()) expect(sum).toBeLessThanOrEqual(l.capCents);
        if (contract.capScope === 'term') expect(l.deductionCents).toBeLessThanOrEqual(l.capCents);
        expect(l.deductionCents).toBe(l.lines.reduce((s, x) => s + x.deductionCents, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('drills never change the total', () => {
    fc.assert(
      fc.property(contractArb, incidentsArb, incidentsArb, (contract, real, extra) => {
        const drills = extra.map((d) => ({ ...d, id: `drill-${d.id}`, mode: 'drill' as const }));
        const without = computeLedger(contract, real, now);
        const withDrills = computeLedger(contract, [...real, ...drills], now);
        expect(withDrills.deductionCents).toBe(without.deductionCents);
        for (const line of withDrills.lines.filter((x) => x.mode === 'drill')) expect(line.deductionCents).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('splitting the term at any instants never changes its total, and later incidents never change earlier lines', () => {
    fc.assert(
      fc.property(
        contractArb,
        incidentsArb,
        fc.uniqueArray(fc.integer({ min: termStart - 20 * 24 * HOUR, max: termEnd + 20 * 24 * HOUR }), {
          maxLength: 14,
        }),
        (contract, incidents, cuts) => {
          const l = computeLedger(contract, incidents, now);
          const bounds = [-Infinity, ...cuts.sort((a, b) => a - b), Infinity];
          let sum = 0;
          for (let i = 1; i < bounds.length; i++) sum += statementOf(l, bounds[i - 1], bounds[i]).deductionCents;
          expect(sum).toBe(l.deductionCents);
          // The statement of a period is the same whether or not incidents resolved after it exist.
          const cut = bounds[Math.floor(bounds.length / 2)];
          const before = incidents.filter((r) => r.resolvedAt !== null && r.resolvedAt < cut);
          const prefix = computeLedger(contract, before, now);
          const first = statementOf(l, -Infinity, cut).lines.filter((x) => x.resolvedAt !== null);
          expect(first.map((x) => [x.id, x.deductionCents])).toEqual(prefix.lines.map((x) => [x.id, x.deductionCents]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is on time exactly at the deadline and late one millisecond after', () => {
    fc.assert(
      fc.property(contractArb, incidentArb(0), fc.integer({ min: 1, max: 10 * HOUR }), (anyContract, r, late) => {
        // Only the resolution deducts here (an unacknowledged incident resolved at its resolve
        // deadline answered late, which deducts too under `responseDeducts`).
        const contract = { ...anyContract, responseDeducts: false };
        const base = { ...r, mode: 'real' as const, cancelled: false, acknowledgedAt: null, resolvedAt: r.declaredAt };
        const resolveBy = computeLedger(contract, [base], now).lines[0].resolveBy;
        const onTime = computeLedger(contract, [{ ...base, resolvedAt: resolveBy }], now).lines[0];
        expect([onTime.resolveBreached, onTime.hoursOver, onTime.rawCents]).toEqual([false, 0, 0]);
        const over = computeLedger(contract, [{ ...base, resolvedAt: resolveBy + late }], now).lines[0];
        expect(over.resolveBreached).toBe(true);
        const expected =
          contract.rounding === 'per_started_hour'
            ? Math.ceil(late / HOUR)
            : contract.rounding === 'whole_hours'
              ? Math.floor(late / HOUR)
              : late / HOUR;
        expect(over.hoursOver).toBeCloseTo(expected, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('deducts monotonically: a later resolution never deducts less before the cap', () => {
    fc.assert(
      fc.property(contractArb, incidentArb(0), fc.integer({ min: 0, max: 5 * HOUR }), (contract, r, more) => {
        fc.pre(r.resolvedAt !== null);
        const a = computeLedger(contract, [r], now).lines[0];
        const b = computeLedger(contract, [{ ...r, resolvedAt: r.resolvedAt! + more }], now).lines[0];
        expect(b.rawCents).toBeGreaterThanOrEqual(a.rawCents);
      }),
      { numRuns: 200 },
    );
  });
});
