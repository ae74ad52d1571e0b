/**
 * A Kefu server killed with SIGKILL midway through a backup (the reliability test), on both
 * engines: the run it left `running` is marked failed at the next start ("interrupted: the process
 * stopped"), its work folder (the database snapshot) is deleted, the `BackupFailed` alert fires,
 * nothing partial is listed, the next backup reuses the chunks already uploaded, and prune is not
 * held back by the dead run's lock on the target. Real processes (`KEFU_FAULT=crash-during-backup`
 * makes the server kill itself with SIGKILL after its third new chunk), real folders, the real
 * database, the built-in alert rules.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { openDb } from '../../db/index.ts';
import { engines } from '../../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess, type KefuProcess } from '../../testing/spawn.ts';
import { until } from '../../testing/until.ts';
import { own } from './schema.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

type Alert = { state: string; rule: string; labels: Record<string, string> };
type Run = {
  id: string;
  status: string;
  error: string | null;
  storedBytes: number | null;
  report: { skipped?: string } | null;
};

describe.each(engines)('a backup interrupted by kill -9 on %s', (engine) => {
  it(
    'the next start marks the run failed, sweeps its work folder, the alert fires; the next run reuses the chunks',
    { timeout: 600_000 },
    async () => {
      const where = await processPlace(engine, cleanups);
      // Shoppers' files that do not compress: many chunks, so the crash after the third is midway.
      mkdirSync(join(where.dataDir, 'attachments'), { recursive: true });
      writeFileSync(join(where.dataDir, 'attachments', 'photos.bin'), randomBytes(2 * 1048576));
      const folder = mkdtempSync(join(tmpdir(), 'kefu-bk-killed-'));
      const fresh = mkdtempSync(join(tmpdir(), 'kefu-bk-fresh-'));
      cleanups.push(async () => {
        rmSync(folder, { recursive: true, force: true });
        rmSync(fresh, { recursive: true, force: true });
      });
      const env = {
        ...where.env,
        KEFU_BACKUP_KEY: 'interrupted test backup key, long enough',
        KEFU_MONITORING_INTERVAL_SECONDS: '1',
      };
      let node: KefuProcess = await startKefuProcess({
        ...where,
        env: { ...env, KEFU_FAULT: 'crash-during-backup:3' },
      });
      cleanups.push(() => node.stop());
      onTestFailed(() => console.error(`server output (last 4000 characters):\n${node.output().slice(-4000)}`));
      let auth = await signInHttp(node.url);
      const call = <T>(method: string, path: string, body?: unknown) => api<T>(node.url, auth, method, path, body);
      const db = openDb(
        where.env.DATABASE_URL
          ? { databaseUrl: where.env.DATABASE_URL, poolSize: 1 }
          : { sqliteFile: join(where.dataDir, 'kefu.db') },
      );
      cleanups.push(() => db.close());
      const runRow = (id: string) =>
        own(db.db).selectFrom('backup_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

      const target = await call<{ id: string }>('POST', '/api/backups/targets', {
        kind: 'local',
        name: 'nas',
        settings: { path: folder },
      });
      const killed = await call<Run>('POST', '/api/backups/runs', { targetId: target.id, kind: 'backup' });
      await until('the server killed itself midway', async () => node.proc.signalCode === 'SIGKILL', 240_000);

      // What the dead process left: its run `running`, its snapshot in the work folder, chunks and a lock on the target.
      expect(await runRow(killed.id)).toMatchObject({ status: 'running', error: null, finished_at: null });
      const work = join(where.dataDir, '.backup-work');
      expect(readdirSync(work)).toEqual([expect.stringMatching(/^bak_/)]);
      expect(readdirSync(join(folder, 'chunks')).length).toBeGreaterThan(0);
      expect(existsSync(join(folder, 'snapshots'))).toBe(false);
      expect(readdirSync(join(folder, 'locks'))).toHaveLength(1);

      // The next start.
      node = await startKefuProcess({ ...where, env });
      auth = await signInHttp(node.url);
      const after = await call<Run>('GET', `/api/backups/runs/${killed.id}`);
      expect(after).toMatchObject({ status: 'failed', error: 'interrupted: the process stopped' });
      expect(existsSync(work)).toBe(false);
      expect((await call<{ items: unknown[] }>('GET', `/api/backups/targets/${target.id}/backups`)).items).toEqual([]);
      const alert = (state: string) =>
        until(`BackupFailed ${state}`, async () =>
          (await call<{ items: Alert[] }>('GET', `/api/ops/alerts?state=${state}`)).items.find(
            (a) => a.rule === 'BackupFailed' && a.labels.target === 'nas' && a.labels.kind === 'backup',
          ),
        );
      expect((await alert('firing')).labels).toMatchObject({ severity: 'P3', component: 'backups' });

      const run = async (targetId: string, kind: string) => {
        const queued = await call<Run>('POST', '/api/backups/runs', { targetId, kind });
        return until(
          `${kind} run finished`,
          async () => {
            const r = await call<Run>('GET', `/api/backups/runs/${queued.id}`);
            return r.status === 'ok' || r.status === 'failed' ? r : null;
          },
          240_000,
        );
      };
      // The next backup completes and reuses the killed run's chunks: it stores less than the same
      // backup onto an empty folder.
      const next = await run(target.id, 'backup');
      expect(next).toMatchObject({ status: 'ok', error: null });
      const other = await call<{ id: string }>('POST', '/api/backups/targets', {
        kind: 'local',
        name: 'empty',
        settings: { path: fresh },
      });
      const whole = await run(other.id, 'backup');
      expect(next.storedBytes!).toBeLessThan(whole.storedBytes!);
      // The dead run's lock is gone: prune runs instead of waiting hours for it.
      const pruned = await run(target.id, 'prune');
      expect(pruned.status).toBe('ok');
      expect(pruned.report?.skipped).toBeUndefined();
      expect(readdirSync(join(folder, 'locks'))).toEqual([]);
      expect((await run(target.id, 'verify')).status).toBe('ok');
      await alert('resolved');
    },
  );
});
