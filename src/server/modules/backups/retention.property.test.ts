/**
 * Retention over random backup histories (fast-check): the kept set is exactly what each rule asks
 * — for each of the newest N periods that hold backups, that period's newest backup, with the rule
 * among its reasons — and a chunk is pruned only when no kept backup references it. Policies come
 * from the config file (`backupRetention`) too; a bad one is refused with the path of the bad value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigError } from '../../config.ts';
import {
  keepRules,
  periodOf,
  planRetention,
  policyOf,
  retentionFor,
  unreferencedChunks,
  type RetentionPolicy,
} from './retention.ts';

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
type Dated = { id: string; createdAt: string };

const policy = fc.record({
  last: fc.integer({ min: 0, max: 3 }),
  daily: fc.integer({ min: 0, max: 10 }),
  weekly: fc.integer({ min: 0, max: 6 }),
  monthly: fc.integer({ min: 0, max: 14 }),
}) as fc.Arbitrary<RetentionPolicy>;

/** What each rule asks, computed independently of the implementation: group by period, newest period first. */
function expectedKeep(backups: readonly Dated[], p: RetentionPolicy, zone: string): Map<string, string[]> {
  const expected = new Map<string, string[]>();
  for (const rule of keepRules) {
    const newestOf = new Map<string, Dated>();
    for (const b of backups) {
      const k = periodOf(rule, b, zone);
      const cur = newestOf.get(k);
      if (!cur || b.createdAt > cur.createdAt || (b.createdAt === cur.createdAt && b.id > cur.id)) newestOf.set(k, b);
    }
    const periods = [...newestOf.values()].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    for (const b of periods.slice(0, p[rule])) expected.set(b.id, [...(expected.get(b.id) ?? []), rule]);
  }
  return expected;
}

describe('retention', () => {
  it('keeps, per rule, the newest backup of each of the newest N periods, and nothing else', () => {
    fc.assert(
      fc.property(history, policy, fc.constantFrom(...zones), (backups, p, zone) => {
        const plan = planRetention(backups, p, zone);
        const expected = expectedKeep(backups, p, zone);
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

  it('applies the policy configured in the config file (a target’s own, else on-site or off-site)', () => {
    const count = fc.integer({ min: 0, max: 40 });
    const retention = fc
      .record({ daily: count, weekly: count, monthly: count })
      .filter((r) => r.daily + r.weekly + r.monthly > 0);
    fc.assert(
      fc.property(
        history,
        retention,
        retention,
        fc.option(retention, { nil: null }),
        fc.boolean(),
        fc.constantFrom(...zones),
        (backups, onsite, offsite, own, isOffsite, zone) => {
          const { config } = loadConfig({
            env: { KEFU_BACKUP_RETENTION: JSON.stringify({ onsite, offsite }) },
            flags: { backupTimeZone: zone },
          });
          const applied = retentionFor(config.backupRetention, { offsite: isOffsite, retention: own });
          expect(applied).toEqual(own ?? (isOffsite ? offsite : onsite));
          const p = policyOf(applied);
          const plan = planRetention(backups, p, config.backupTimeZone);
          const kept = new Map(plan.keep.map((k) => [k.backup.id, k.reasons as string[]]));
          expect(kept).toEqual(expectedKeep(backups, p, zone));
          for (const rule of ['daily', 'weekly', 'monthly'] as const)
            expect(plan.keep.filter((k) => k.reasons.includes(rule)).length).toBeLessThanOrEqual(applied[rule]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a bad configured policy with the path of the bad value', () => {
    const load = (file: unknown) => {
      const dir = mkdtempSync(join(tmpdir(), 'kefu-retention-'));
      try {
        writeFileSync(join(dir, 'kefu.config.json'), JSON.stringify({ backupRetention: file }));
        loadConfig({ env: {}, cwd: dir });
        return null;
      } catch (err) {
        return (err as ConfigError).problems;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    expect(load({ onsite: { daily: 3, weekly: 2, monthly: 1 } })).toBeNull();
    expect(load({ onsite: { daily: -1, weekly: 4, monthly: 12 } })).toEqual([
      expect.stringMatching(/^backupRetention\.onsite\.daily: .*>=0.*\(from config file .*kefu\.config\.json\)$/),
    ]);
    expect(load({ offsite: { daily: 0, weekly: 0, monthly: 1.5 } })?.[0]).toMatch(
      /^backupRetention\.offsite\.monthly: /,
    );
    expect(load({ offsite: { daily: 0, weekly: 0, monthly: 0 } })?.[0]).toMatch(
      /^backupRetention\.offsite: keep at least one daily, weekly or monthly backup/,
    );
    expect(load({ onsite: { daily: 7, weekly: 4, monthly: 12, yearly: 2 } })?.[0]).toMatch(
      /^backupRetention\.onsite: .*yearly/,
    );
    expect(load({ nearby: { daily: 7, weekly: 4, monthly: 12 } })?.[0]).toMatch(/^backupRetention: .*nearby/);
    fc.assert(
      fc.property(
        fc.constantFrom('daily', 'weekly', 'monthly'),
        fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 3651 }), fc.double({ noInteger: true }), fc.string()),
        (rule, bad) => {
          const problems = load({ onsite: { daily: 1, weekly: 1, monthly: 1, [rule]: bad } });
          expect(problems?.[0]).toMatch(new RegExp(`^backupRetention\\.onsite\\.${rule}: `));
        },
      ),
      { numRuns: 40 },
    );
  });
});
