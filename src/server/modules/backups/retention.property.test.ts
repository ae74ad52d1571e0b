/**
 * Retention over random backup histories (fast-check): the kept set is exactly what each rule asks
 * — for each of the newest N periods that hold backups, that period's newest backup, with the rule
 * among its reasons — and a chunk is pruned only when no kept backup references it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepRules, periodOf, planRetention, unreferencedChunks, type RetentionPolicy } from './retention.ts';

const zones = ['Asia/Shanghai', 'UTC', 'America/New_York'];
const start = Date.parse('2025-01-01T00:00:00Z');
const history = fc
  .uniqueArray(fc.integer({ min: 0, max: 400 * 24 * 60 }), { minLength: 0, maxLength: 120 })
  .map((minutes) =>
    minutes.map((m, i) => ({
      id: `bak_${String(i).padStart(4, '0')}`,
      createdAt: new Date(start + m * 60_000).toISOString(),
    })),
  );
const policy = fc.record({
  last: fc.integer({ min: 0, max: 3 }),
  daily: fc.integer({ min: 0, max: 10 }),
  weekly: fc.integer({ min: 0, max: 6 }),
  monthly: fc.integer({ min: 0, max: 14 }),
}) as fc.Arbitrary<RetentionPolicy>;

describe('retention', () => {
  it('keeps, per rule, the newest backup of each of the newest N periods, and nothing else', () => {
    fc.assert(
      fc.property(history, policy, fc.constantFrom(...zones), (backups, p, zone) => {
        const plan = planRetention(backups, p, zone);
        const expected = new Map<string, string[]>();
        for (const rule of keepRules) {
          // Independent of the implementation: group by period, newest period first.
          const newestOf = new Map<string, (typeof backups)[number]>();
          for (const b of backups) {
            const k = periodOf(rule, b, zone);
            const cur = newestOf.get(k);
            if (!cur || b.createdAt > cur.createdAt || (b.createdAt === cur.createdAt && b.id > cur.id))
              newestOf.set(k, b);
          }
          const periods = [...newestOf.values()].sort((a, b) =>
            a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
          );
          for (const b of periods.slice(0, p[rule])) expected.set(b.id, [...(expected.get(b.id) ?? []), rule]);
        }
        const kept = new Map(plan.keep.map((k) => [k.backup.id, k.reasons as string[]]));
        expect(kept).toEqual(expected);
        expect(plan.keep.length + plan.remove.length).toBe(backups.length);
        if (backups.length && p.last > 0) {
          const newest = backups.reduce((a, b) =>
            b.createdAt > a.createdAt || (b.createdAt === a.createdAt && b.id > a.id) ? b : a,
          );
          expect(kept.get(newest.id)).toContain('last');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prunes a chunk only when no kept backup references it', () => {
    const chunkSets = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), {
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(
        chunkSets,
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 60 })),
        (sets, keepMask, extra) => {
          const manifests = sets.map((s) => ({ files: [{ chunks: s.map((n) => `c${n}`) }] }));
          const kept = manifests.filter((_, i) => keepMask[i]);
          const present = new Set([...sets.flat(), ...extra].map((n) => `c${n}`));
          const pruned = new Set(unreferencedChunks(present, kept));
          for (const m of kept) for (const c of m.files[0].chunks) expect(pruned.has(c)).toBe(false);
          for (const c of present)
            if (!kept.some((m) => m.files[0].chunks.includes(c))) expect(pruned.has(c)).toBe(true);
        },
      ),
    );
  });

  it('keeps the contract: 7 daily, 4 weekly, 12 monthly from a year of nightly backups', () => {
    const nightly = Array.from({ length: 365 }, (_, i) => ({
      id: `bak_${String(i).padStart(4, '0')}`,
      createdAt: new Date(Date.parse('2025-01-01T18:00:00Z') + i * 86_400_000).toISOString(),
    }));
    const plan = planRetention(nightly, { last: 1, daily: 7, weekly: 4, monthly: 12 }, 'Asia/Shanghai');
    const count = (r: string) => plan.keep.filter((k) => (k.reasons as string[]).includes(r)).length;
    expect([count('daily'), count('weekly'), count('monthly')]).toEqual([7, 4, 12]);
    // The newest serves every rule at once; older days' backups are kept for the week and month they end.
    expect(plan.keep[0].reasons).toEqual(['last', 'daily', 'weekly', 'monthly']);
    expect(plan.keep.length).toBeLessThanOrEqual(7 + 4 + 12);
  });
});
