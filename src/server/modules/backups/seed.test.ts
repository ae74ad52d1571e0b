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
import { lastSeededNight, seedBackups } from './seed.ts';

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
