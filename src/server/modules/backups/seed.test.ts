/**
 * The demo's backup history keeps a healthy demo free of backup alerts (issue 13): whatever the
 * time of day the demo starts, the newest seeded verification is less than a day old, the gauges
 * `BackupNotVerified` and `BackupFailed` read stay below their thresholds every hour until the real
 * nightly run (03:00 Asia/Shanghai), and that run (a real backup, prune and verification into the
 * demo's local target, with a backup key) takes over. Both engines.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import type { Job } from '../../lib/jobs/queue.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { backupJobs, watchStaleness } from './jobs.ts';
import { latestOutcomes, unverifiedSeconds } from './metrics.ts';
import { own } from './schema.ts';
import { lastQuarterlyDrill, lastSeededNight, seedBackups } from './seed.ts';
import { targetRows } from './service.ts';

const backupKey = 'demo seed test backup key, long enough';
const hour = 3_600_000;
const at = (local: string) => new Date(`${local}+08:00`).getTime();
/** The threshold of the built-in rule `BackupNotVerified` (monitoring/defaults.ts). */
const alertSeconds = 26 * 3600;

describe('lastSeededNight', () => {
  it('is the newest 03:00 Asia/Shanghai, earlier when its runs could not have finished', () => {
    expect(lastSeededNight(at('2026-12-05T10:00:00'))).toBe(at('2026-12-05T03:00:00'));
    expect(lastSeededNight(at('2026-12-05T03:01:12'))).toBe(at('2026-12-05T03:00:00'));
    expect(lastSeededNight(at('2026-12-05T03:01:11'))).toBe(at('2026-12-05T02:59:59'));
    expect(lastSeededNight(at('2026-12-05T02:59:00'))).toBe(at('2026-12-04T03:00:00'));
    expect(lastSeededNight(at('2026-12-05T23:59:59'))).toBe(at('2026-12-05T03:00:00'));
  });
});

describe('lastQuarterlyDrill', () => {
  it('is the newest Jan/Apr/Jul/Oct 1st 05:30 Asia/Shanghai whose drill had finished', () => {
    expect(lastQuarterlyDrill(at('2026-12-06T16:00:00'))).toBe(at('2026-10-01T05:30:00'));
    expect(lastQuarterlyDrill(at('2026-10-01T05:31:00'))).toBe(at('2026-10-01T05:30:00'));
    // That morning's drill still running: the one before.
    expect(lastQuarterlyDrill(at('2026-10-01T05:30:10'))).toBe(at('2026-07-01T05:30:00'));
    expect(lastQuarterlyDrill(at('2026-04-01T05:29:00'))).toBe(at('2026-01-01T05:30:00'));
    // 1 January 05:30 in Shanghai is still 31 December in UTC; before it, last October's.
    expect(lastQuarterlyDrill(at('2026-01-01T05:00:00'))).toBe(at('2025-10-01T05:30:00'));
    expect(lastQuarterlyDrill(at('2026-01-01T06:00:00'))).toBe(at('2026-01-01T05:30:00'));
  });
});

describe.each(engines)('the demo backup targets and drill on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => {
    const dir = t?.env.dataDir;
    await t?.close();
    if (dir) rmSync(`${dir}-backups`, { recursive: true, force: true });
  });

  it('the off-site copy goes to a server in another city, and the drill sits on the quarterly schedule', async () => {
    t = await testApp(engine, { clock: manualClock(new Date(at('2026-12-06T10:00:00'))), config: { backupKey } });
    const { id, owner } = await t.workspace('demo');
    await seedBackups(t.s, { workspaceId: id, ownerId: owner.actor.userId });
    const targets = await targetRows(t.s);
    const primary = targets.find((x) => !x.offsite)!;
    const offsite = targets.find((x) => x.offsite)!;
    expect(primary.name).toContain('hangzhou');
    expect(offsite.name).toContain('shanghai');
    expect(JSON.parse(offsite.settings).host).toContain('shanghai');
    expect(offsite.kind).toBe('sftp');

    const drills = await own(t.s.db).selectFrom('backup_runs').selectAll().where('kind', '=', 'drill').execute();
    expect(drills).toHaveLength(1);
    expect(drills[0].started_at).toBe(new Date(at('2026-10-01T05:30:00')).toISOString());
    const report = JSON.parse(drills[0].report!) as { ok: boolean; rtoMs: number; rpoMs: number };
    expect(report.ok).toBe(true);
    expect(Date.parse(drills[0].finished_at!) - Date.parse(drills[0].started_at)).toBe(report.rtoMs);
    // It restored that morning's 03:00 backup.
    expect(report.rpoMs).toBe(at('2026-10-01T05:30:00') - at('2026-10-01T03:00:00'));
  });
});

describe.each(engines)('the demo backup history on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => {
    const dir = t?.env.dataDir;
    await t?.close();
    if (dir) rmSync(`${dir}-backups`, { recursive: true, force: true });
  });

  it.each(['2026-12-05T02:59:30', '2026-12-05T03:00:30', '2026-12-05T10:00:00', '2026-12-05T21:30:00'])(
    'started at %s (+08:00): no backup alert until the nightly run, none after it',
    { timeout: 120_000 },
    async (start) => {
      const clock = manualClock(new Date(at(start)));
      t = await testApp(engine, { clock, config: { backupKey } });
      const { id, owner } = await t.workspace('demo');
      await seedBackups(t.s, { workspaceId: id, ownerId: owner.actor.userId });

      // Hour by hour up to the next 03:00: the newest verification stays younger than the rule's threshold.
      // The next 03:00 after the start, when the scheduler runs the nightly job.
      const nightly = Math.floor((at(start) - 19 * hour) / (24 * hour)) * 24 * hour + 19 * hour + 24 * hour;
      expect(nightly).toBeGreaterThan(at(start));
      expect(nightly - at(start)).toBeLessThanOrEqual(24 * hour);
      for (let now = at(start); now < nightly; now += hour) {
        clock.set(new Date(now));
        const age = (await unverifiedSeconds(t.s))!;
        expect(age, new Date(now).toISOString()).toBeLessThan(alertSeconds);
        expect(age).toBeGreaterThanOrEqual(0);
        expect(await watchStaleness(t.s)).toBe(false);
        expect((await latestOutcomes(t.s)).filter((o) => o.failed)).toEqual([]);
      }

      // The real nightly run at 03:00: a backup, prune and verification of this database.
      clock.set(new Date(nightly));
      await backupJobs['backups.nightly']({ payload: {} } as Job, t.s);
      const outcomes = await latestOutcomes(t.s);
      expect(outcomes.filter((o) => o.failed)).toEqual([]);
      expect(outcomes.map((o) => o.kind)).toEqual(expect.arrayContaining(['backup', 'verify']));
      clock.set(new Date(nightly + 23 * hour));
      expect(await unverifiedSeconds(t.s)).toBeLessThan(24 * 3600);
      expect(await watchStaleness(t.s)).toBe(false);
    },
  );
});
