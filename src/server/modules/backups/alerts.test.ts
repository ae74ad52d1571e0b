/**
 * Backup trouble → alert → incident, end to end with a real Kefu process and its built-in rules
 * (monitoring/defaults.ts, over the gauges of backups/metrics.ts): a backup to a target on a full
 * disk (a real 2 MiB tmpfs) fails with a one-line reason, `BackupFailed` fires and opens a P3
 * incident; the next backup to a roomier place resolves it (the incident is mitigated). No verified
 * backup for 26 hours fires `BackupNotVerified` until a verification passes; a drill that fails (a
 * damaged chunk) is data loss detected: `DataLossDetected` fires and opens a P1 incident. Each step polls until true, bounded by the timeout.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { openDb } from '../../db/index.ts';
import { engines } from '../../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../../testing/spawn.ts';
import { smallTmpfs, tmpfsTestsRun } from '../../testing/tmpfs.ts';
import { until } from '../../testing/until.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

type Alert = { state: string; rule: string; labels: Record<string, string> };
type Incident = { id: string; title: string; severity: string; state: string; source: string; component: string };
type Run = { id: string; status: string; error: string | null };

/** Every chunk file of a local target. */
function chunkFiles(dir: string): string[] {
  const base = join(dir, 'chunks');
  return readdirSync(base).flatMap((d) => readdirSync(join(base, d)).map((f) => join(base, d, f)));
}

describe.skipIf(!tmpfsTestsRun).each(engines)('backup alerts with a real process on %s', (engine) => {
  it(
    'a full target fails the backup, the alert fires and opens an incident; staleness and a failed drill alert too',
    { timeout: 600_000 },
    async () => {
      const where = await processPlace(engine, cleanups);
      // Shoppers' files that do not compress: more than the 2 MiB target can hold.
      mkdirSync(join(where.dataDir, 'attachments'), { recursive: true });
      writeFileSync(join(where.dataDir, 'attachments', 'photos.bin'), randomBytes(3 * 1048576));
      const full = smallTmpfs(2048);
      cleanups.push(async () => full.unmount());
      const roomy = mkdtempSync(join(tmpdir(), 'kefu-bk-roomy-'));
      cleanups.push(async () => rmSync(roomy, { recursive: true, force: true }));
      const node = await startKefuProcess({
        ...where,
        env: {
          ...where.env,
          KEFU_BACKUP_KEY: 'alert test backup key, long enough to pass',
          KEFU_MONITORING_INTERVAL_SECONDS: '1',
        },
      });
      cleanups.push(() => node.stop());
      onTestFailed(() => console.error(`server output (last 4000 characters):\n${node.output().slice(-4000)}`));
      const auth = await signInHttp(node.url);
      const call = <T>(method: string, path: string, body?: unknown) => api<T>(node.url, auth, method, path, body);
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
      const alert = (rule: string, state: string, match: Record<string, string> = {}) =>
        until(`${rule} ${state}`, async () =>
          (await call<{ items: Alert[] }>('GET', `/api/ops/alerts?state=${state}`)).items.find(
            (a) => a.rule === rule && Object.entries(match).every(([k, v]) => a.labels[k] === v),
          ),
        );
      const incidents = async () => (await call<{ items: Incident[] }>('GET', '/api/ops/incidents')).items;

      const target = await call<{ id: string }>('POST', '/api/backups/targets', {
        kind: 'local',
        name: 'usb-disk',
        settings: { path: full.dir },
      });

      // 1. The disk of the target is full: a one-line reason, nothing listed, no temp files left behind.
      const failed = await run(target.id, 'backup');
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^the target is full: no space left in .+ \(writing [\w/]+\)$/);
      const listed = await call<{ items: unknown[] }>('GET', `/api/backups/targets/${target.id}/backups`);
      expect(listed.items).toEqual([]);
      const walk = (d: string): string[] =>
        readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [n]));
      expect(walk(full.dir).filter((n) => n.endsWith('.tmp') || n.startsWith('bak_'))).toEqual([]);

      const firing = await alert('BackupFailed', 'firing', { target: 'usb-disk', kind: 'backup' });
      expect(firing.labels).toMatchObject({ severity: 'P3', component: 'backups' });
      // The incident's title is the rule's summary in the home workspace's language (Chinese here).
      const opened = await until('an incident', async () =>
        (await incidents()).find((i) => i.title.includes('备份目标 usb-disk 的 backup 失败')),
      );
      expect(opened).toMatchObject({ source: 'alert', severity: 'P3', component: 'backups', state: 'triggered' });

      // 2. The next backup, to a roomier place, works: the alert resolves and the incident is mitigated.
      await call('PUT', `/api/backups/targets/${target.id}`, {
        kind: 'local',
        name: 'usb-disk',
        settings: { path: roomy },
      });
      expect((await run(target.id, 'backup')).status).toBe('ok');
      await alert('BackupFailed', 'resolved', { target: 'usb-disk', kind: 'backup' });
      await until('the incident mitigated', async () =>
        (await incidents()).find((i) => i.id === opened.id && i.state === 'mitigated'),
      );

      // 3. Nothing verified for 30 hours (the targets are that old, and so is the newest backup found intact): BackupNotVerified.
      const db = openDb(
        where.env.DATABASE_URL
          ? { databaseUrl: where.env.DATABASE_URL, poolSize: 1 }
          : { sqliteFile: join(where.dataDir, 'kefu.db') },
      );
      cleanups.push(() => db.close());
      const longAgo = new Date(Date.now() - 30 * 3600_000).toISOString();
      await sql`update backup_targets set created_at = ${longAgo}`.execute(db.db);
      await sql`update backup_runs set finished_at = ${longAgo}, verified_backup_at = ${longAgo} where kind = 'verify'`.execute(
        db.db,
      );
      const stale = await alert('BackupNotVerified', 'firing');
      expect(stale.labels).toMatchObject({ severity: 'P3', component: 'backups' });
      await until('an incident for it', async () =>
        (await incidents()).find((i) => i.title.includes('26 小时内没有校验通过的备份')),
      );
      expect((await run(target.id, 'verify')).status).toBe('ok');
      await alert('BackupNotVerified', 'resolved');

      // 4. A damaged chunk: the drill fails; the backups cannot bring the data back (P1, not P3).
      for (const f of chunkFiles(roomy)) writeFileSync(f, randomBytes(statSync(f).size));
      const drill = await run(target.id, 'drill');
      expect(drill.status).toBe('failed');
      const lost = await alert('DataLossDetected', 'firing', { target: 'usb-disk', kind: 'drill' });
      expect(lost.labels).toMatchObject({ severity: 'P1', component: 'backups' });
      await until('a P1 incident for the drill', async () =>
        (await incidents()).find((i) => i.title.includes('备份目标 usb-disk 的 drill 失败') && i.severity === 'P1'),
      );
    },
  );
});
