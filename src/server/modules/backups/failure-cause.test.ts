/**
 * Why a run failed decides the alert: a verification or restore drill that finds backups that
 * cannot bring the data back (a damaged chunk) is data loss (`kefu_backup_damage_found` → the P1
 * rule DataLossDetected); one that could not run (its target unreachable) is not — it is a failed
 * run (`kefu_backup_run_failed` → BackupFailed, P3). Through the real runs on folders, both engines.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { executeRun } from './runner.ts';
import { getRun, insertRun, saveTarget } from './service.ts';
import { own } from './schema.ts';

/** The gauge's value per `target/kind`, as monitoring would scrape it now. */
async function gauge(t: TestApp, name: string): Promise<Record<string, number>> {
  const metric = t.s.metrics.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  return Object.fromEntries(values.map((v) => [`${v.labels.target}/${v.labels.kind}`, v.value]));
}

describe.each(engines)('the cause of a failed backup run on %s', (engine) => {
  let t: TestApp;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('an unreachable target is a failed run, a damaged chunk is damage found', { timeout: 120_000 }, async () => {
    t = await testApp(engine, { config: { backupKey: 'failure cause test backup key, long enough' } });
    await t.workspace('vendor', { installationOwner: true });
    const folder = mkdtempSync(join(tmpdir(), 'kefu-bk-cause-'));
    dirs.push(folder);
    const nas = await saveTarget(t.s, null, { kind: 'local', name: 'nas', settings: { path: folder } });
    // Enabled, but its folder does not exist: every run on it fails before reading a backup.
    const gone = await saveTarget(t.s, null, {
      kind: 'local',
      name: 'gone',
      settings: { path: join(folder, 'not-there') },
    });
    const run = async (kind: 'backup' | 'verify' | 'drill', targetId: string) => {
      const r = await insertRun(t.s, targetId, kind, 'manual');
      await executeRun(t.s, r.id);
      const row = await own(t.s.db)
        .selectFrom('backup_runs')
        .select('failure_cause')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      return { ...(await getRun(t.s, r.id)), cause: row.failure_cause };
    };

    expect((await run('backup', nas.id)).status).toBe('ok');
    expect(await run('verify', nas.id)).toMatchObject({ status: 'ok', cause: null });

    // The unreachable target: verification and drill fail, with their reason, and found no damage.
    for (const kind of ['verify', 'drill'] as const) {
      const r = await run(kind, gone.id);
      expect(r, kind).toMatchObject({ status: 'failed', cause: 'error' });
      expect(r.error, kind).toMatch(/not-there/);
    }
    expect(await gauge(t, 'kefu_backup_run_failed')).toMatchObject({
      'gone/verify': 1,
      'gone/drill': 1,
      'nas/verify': 0,
    });
    expect(await gauge(t, 'kefu_backup_damage_found')).toEqual({
      'gone/verify': 0,
      'gone/drill': 0,
      'nas/verify': 0,
    });

    // Every chunk of the good target altered on disk: verification and drill find damage.
    const chunks = join(folder, 'chunks');
    for (const d of readdirSync(chunks))
      for (const f of readdirSync(join(chunks, d))) {
        const bytes = readFileSync(join(chunks, d, f));
        bytes[bytes.length - 1] ^= 0xff;
        writeFileSync(join(chunks, d, f), bytes);
      }
    expect(await run('verify', nas.id)).toMatchObject({ status: 'failed', cause: 'damaged' });
    expect(await run('drill', nas.id)).toMatchObject({ status: 'failed', cause: 'damaged' });
    expect(await gauge(t, 'kefu_backup_damage_found')).toEqual({
      'gone/verify': 0,
      'gone/drill': 0,
      'nas/verify': 1,
      'nas/drill': 1,
    });
  });
});
