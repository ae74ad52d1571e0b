/**
 * Which `running` runs the recovery marks interrupted, on both engines: a run of a process on this
 * host that is gone (a pid that does not exist; our pid but another process: a restarted
 * container), and a run of another host whose heartbeat stopped for five minutes. A run of this
 * very process, one of a live process, and one of another host that still beats are left alone.
 * The gauge monitoring reads sees the interrupted run as failed. (The kill -9 of a real server
 * is interrupted.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { latestOutcomes } from './metrics.ts';
import { ownerFile, sweepWorkDirs, thisRunner, workDirName } from './owner.ts';
import { interruptedError, recoverInterruptedRuns } from './recovery.ts';
import { own } from './schema.ts';
import { insertRun, saveTarget } from './service.ts';

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe.each(engines)('recovery of interrupted runs on %s', (engine) => {
  let t: TestApp;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('marks the runs of gone processes failed and leaves live ones alone', async () => {
    const clock = manualClock('2027-05-01T02:00:00.000Z');
    t = await testApp(engine, { clock });
    await t.workspace('vendor', { installationOwner: true });
    const folder = mkdtempSync(join(tmpdir(), 'kefu-bk-recover-'));
    dirs.push(folder);
    const target = await saveTarget(t.s, null, { kind: 'local', name: 'nas', settings: { path: folder } });
    const now = clock.now().getTime();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const here = hostname();
    const running = async (runner: string, beatMinutesAgo: number) => {
      const r = await insertRun(t.s, target.id, 'backup', 'schedule');
      await own(t.s.db)
        .updateTable('backup_runs')
        .set({ status: 'running', started_at: at(60), runner, heartbeat_at: at(beatMinutesAgo) })
        .where('id', '=', r.id)
        .execute();
      return r.id;
    };
    const mine = await running(thisRunner, 0);
    const deadHere = await running(`${here} ${deadPid()} 0a1b2c3d4e5f`, 0);
    const restartedContainer = await running(`${here} ${process.pid} 0a1b2c3d4e5f`, 0);
    const aliveHere = await running(`${here} ${process.ppid} 0a1b2c3d4e5f`, 1);
    const otherHostBeating = await running('kefu-node-2 4242 0a1b2c3d4e5f', 4);
    const otherHostSilent = await running('kefu-node-2 4243 0a1b2c3d4e5f', 6);

    const recovered = await recoverInterruptedRuns(t.s);
    expect(new Set(recovered)).toEqual(new Set([deadHere, restartedContainer, otherHostSilent]));
    const rows = await own(t.s.db).selectFrom('backup_runs').select(['id', 'status', 'error', 'finished_at']).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of recovered)
      expect(byId.get(id)).toMatchObject({ status: 'failed', error: interruptedError, finished_at: at(0) });
    for (const id of [mine, aliveHere, otherHostBeating]) expect(byId.get(id)).toMatchObject({ status: 'running' });
    expect(await recoverInterruptedRuns(t.s)).toEqual([]);
    // The alert's gauge: the newest finished backup run on the target failed.
    expect(await latestOutcomes(t.s)).toEqual([{ target: 'nas', kind: 'backup', failed: true, damaged: false }]);
    const events = await allTables(t.s)
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'backup.failed')
      .execute();
    expect(events).toHaveLength(3);
  });

  it('sweeps the work folders of gone processes, not those of live ones', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bk-work-'));
    dirs.push(dataDir);
    const folder = (name: string, owner: string | null) => {
      const d = join(dataDir, workDirName, name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'kefu.db'), 'a snapshot');
      if (owner) writeFileSync(join(d, ownerFile), owner + '\n');
    };
    folder('bak_DEAD', `${hostname()} ${deadPid()} 0a1b2c3d4e5f`);
    folder('bak_MINE', thisRunner);
    folder('bak_OTHERHOST', 'kefu-node-2 4242 0a1b2c3d4e5f');
    folder('bak_NOOWNER', null);
    expect(await sweepWorkDirs(dataDir)).toEqual(['bak_DEAD']);
    expect(readdirSync(join(dataDir, workDirName)).sort()).toEqual(['bak_MINE', 'bak_NOOWNER', 'bak_OTHERHOST']);
    // Folders that name no process of this host are taken once they are six hours old.
    expect((await sweepWorkDirs(dataDir, Date.now() + 7 * 3600_000)).sort()).toEqual(['bak_NOOWNER', 'bak_OTHERHOST']);
    expect(readdirSync(join(dataDir, workDirName))).toEqual(['bak_MINE']);
  });
});
