/**
 * "No verified backup in the last 26 hours" measures the age of the newest backup that a
 * verification found intact (when it was made), not the time a verification last ran: a
 * verification that only finds old backups intact, one that fails to run, or a backup nobody has
 * verified yet do not reset the clock. On both engines, with the fake clock, through the real
 * runs (backups and verifications on a folder), the watch job and the gauge monitoring reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { watchStaleness } from './jobs.ts';
import { unverifiedSeconds } from './metrics.ts';
import { executeRun } from './runner.ts';
import { getRun, insertRun, saveTarget } from './service.ts';

const hour = 3600_000;

describe.each(engines)('backup staleness on %s', (engine) => {
  let t: TestApp;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is the age of the newest backup a verification found intact', async () => {
    const clock = manualClock('2027-03-10T01:00:00.000Z');
    t = await testApp(engine, { clock, config: { backupKey: 'staleness test backup key, long enough' } });
    await t.workspace('vendor', { installationOwner: true });
    const folder = mkdtempSync(join(tmpdir(), 'kefu-bk-stale-'));
    dirs.push(folder);
    const target = await saveTarget(t.s, null, { kind: 'local', name: 'nas', settings: { path: folder } });
    const run = async (kind: 'backup' | 'verify', targetId = target.id) => {
      const r = await insertRun(t.s, targetId, kind, 'schedule');
      await executeRun(t.s, r.id);
      return getRun(t.s, r.id);
    };
    const ageHours = async () => Math.round((await unverifiedSeconds(t.s))! / 3600);

    // 01:00 a backup, verified at once: fresh.
    expect((await run('backup')).status).toBe('ok');
    expect((await run('verify')).status).toBe('ok');
    expect(await ageHours()).toBe(0);

    // 25 hours later a verification runs and passes, but it only finds that same backup: the clock is not reset.
    clock.advance(25 * hour);
    expect((await run('verify')).status).toBe('ok');
    expect(await ageHours()).toBe(25);
    expect(await watchStaleness(t.s)).toBe(false);

    // A verification that cannot run (the target's folder is gone) resets nothing either; at 27 hours: stale.
    const gone = await saveTarget(t.s, null, {
      kind: 'local',
      name: 'gone',
      settings: { path: join(folder, 'not-there') },
      enabled: false,
    });
    clock.advance(2 * hour);
    expect((await run('verify', gone.id)).status).toBe('failed');
    expect(await ageHours()).toBe(27);
    expect(await watchStaleness(t.s)).toBe(true);

    // A new backup that nobody verified yet does not count.
    clock.advance(hour);
    expect((await run('backup')).status).toBe('ok');
    expect(await ageHours()).toBe(28);

    // Once a verification finds it intact, the age is that backup's: fresh again, and nothing stale.
    clock.advance(2 * hour);
    expect((await run('verify')).status).toBe('ok');
    expect(await ageHours()).toBe(2);
    clock.advance(23 * hour); // a day after the last alert: the backup is 25 hours old, not stale
    expect(await watchStaleness(t.s)).toBe(false);
    clock.advance(2 * hour);
    expect(await watchStaleness(t.s)).toBe(true);
  }, 180_000);
});
