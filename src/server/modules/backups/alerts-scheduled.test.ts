/**
 * The scheduled backup's failures → alert → incident, through the real path on both engines: a real
 * Kefu process, the nightly job queued in its jobs table as the scheduler does and claimed by its
 * worker, the built-in `BackupFailed` rule (monitoring/defaults.ts) over the gauges of
 * backups/metrics.ts, and the incident it opens.
 * - A wrong backup key: the target holds backups made under another key; the nightly backup fails
 *   with "wrong backup key for folder …", nothing is written there, and the alert opens an incident;
 *   once set right, the next nightly backup works, the alert resolves and the incident is mitigated.
 * - An unreachable target: an SFTP server where nothing listens; the nightly backup fails with
 *   "sftp://…: cannot connect: …", and the alert opens another incident.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { openDb } from '../../db/index.ts';
import { systemClock } from '../../lib/clock.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { engines } from '../../testing/harness.ts';
import { api, freePort, processPlace, signInHttp, startKefuProcess } from '../../testing/spawn.ts';
import { until } from '../../testing/until.ts';
import { openRepo } from './repo.ts';
import { localTarget } from './targets/local.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

type Alert = { state: string; rule: string; labels: Record<string, string> };
type Incident = { id: string; title: string; severity: string; state: string; source: string; component: string };
type Run = { id: string; targetId: string; kind: string; trigger: string; status: string; error: string | null };

describe.each(engines)('scheduled backup failures alert on %s', (engine) => {
  it(
    'a wrong backup key and an unreachable target each fail the nightly backup with a clear error and open an incident',
    { timeout: 600_000 },
    async () => {
      const where = await processPlace(engine, cleanups);
      // A folder that holds a Kefu backup repository made under another key (e.g. the key was replaced).
      const foreign = mkdtempSync(join(tmpdir(), 'kefu-bk-foreign-'));
      cleanups.push(async () => rmSync(foreign, { recursive: true, force: true }));
      await openRepo(localTarget(foreign), 'the previous backup key, also long enough', {
        create: true,
        now: new Date(),
      });
      const closedPort = await freePort(); // nothing listens here
      const node = await startKefuProcess({
        ...where,
        env: {
          ...where.env,
          KEFU_BACKUP_KEY: 'scheduled alert test backup key, long enough',
          KEFU_MONITORING_INTERVAL_SECONDS: '1',
        },
      });
      cleanups.push(() => node.stop());
      onTestFailed(() => console.error(`server output (last 4000 characters):\n${node.output().slice(-4000)}`));
      const db = openDb(
        where.env.DATABASE_URL
          ? { databaseUrl: where.env.DATABASE_URL, poolSize: 1 }
          : { sqliteFile: join(where.dataDir, 'kefu.db') },
      );
      cleanups.push(() => db.close());
      const auth = await signInHttp(node.url);
      const call = <T>(method: string, path: string, body?: unknown) => api<T>(node.url, auth, method, path, body);
      const alert = (rule: string, state: string, match: Record<string, string>) =>
        until(`${rule} ${state} ${JSON.stringify(match)}`, async () =>
          (await call<{ items: Alert[] }>('GET', `/api/ops/alerts?state=${state}`)).items.find(
            (a) => a.rule === rule && Object.entries(match).every(([k, v]) => a.labels[k] === v),
          ),
        );
      const incidents = async () => (await call<{ items: Incident[] }>('GET', '/api/ops/incidents')).items;
      const backups = async (targetId: string) =>
        (await call<{ items: Run[] }>('GET', `/api/backups/runs?targetId=${targetId}&kind=backup`)).items;
      /** The nightly job as the scheduler queues it; the process's worker claims and runs it. */
      const nightly = async (targetId: string): Promise<Run> => {
        const before = new Set((await backups(targetId)).map((r) => r.id));
        await enqueue(db.db, systemClock, { type: 'backups.nightly', maxAttempts: 1 });
        return until(
          'the scheduled backup finished',
          async () =>
            (await backups(targetId)).find((r) => !before.has(r.id) && (r.status === 'ok' || r.status === 'failed')),
          240_000,
        );
      };

      // 1. The wrong key.
      const disk = await call<{ id: string }>('POST', '/api/backups/targets', {
        kind: 'local',
        name: 'old-disk',
        settings: { path: foreign },
      });
      const wrongKey = await nightly(disk.id);
      expect(wrongKey).toMatchObject({ trigger: 'schedule', status: 'failed' });
      expect(wrongKey.error).toBe(`wrong backup key for folder ${foreign}`);
      expect(readdirSync(foreign)).toEqual(['config']); // nothing written beside the other key's repository
      const keyAlert = await alert('BackupFailed', 'firing', { target: 'old-disk', kind: 'backup' });
      expect(keyAlert.labels).toMatchObject({ severity: 'P3', component: 'backups' });
      const keyIncident = await until('an incident for the wrong key', async () =>
        (await incidents()).find((i) => i.title.includes('备份目标 old-disk 的 backup 失败')),
      );
      expect(keyIncident).toMatchObject({ source: 'alert', severity: 'P3', component: 'backups', state: 'triggered' });

      // The key is set right (here: the target moves to an empty folder): the next nightly backup works,
      // the alert resolves and the incident is mitigated.
      const fresh = mkdtempSync(join(tmpdir(), 'kefu-bk-fresh-'));
      cleanups.push(async () => rmSync(fresh, { recursive: true, force: true }));
      await call('PUT', `/api/backups/targets/${disk.id}`, {
        kind: 'local',
        name: 'old-disk',
        settings: { path: fresh },
      });
      expect(await nightly(disk.id)).toMatchObject({ trigger: 'schedule', status: 'ok', error: null });
      await alert('BackupFailed', 'resolved', { target: 'old-disk', kind: 'backup' });
      await until('the wrong-key incident mitigated', async () =>
        (await incidents()).find((i) => i.id === keyIncident.id && i.state === 'mitigated'),
      );

      // 2. The unreachable target: an SFTP server in another city that does not answer.
      const sftp = await call<{ id: string }>('POST', '/api/backups/targets', {
        kind: 'sftp',
        name: 'sftp-beijing',
        settings: { host: '127.0.0.1', port: closedPort, username: 'kefu', path: '/srv/backups' },
        secrets: { password: 'a password that is never used' },
      });
      const unreachable = await nightly(sftp.id);
      expect(unreachable).toMatchObject({ trigger: 'schedule', status: 'failed' });
      expect(unreachable.error).toMatch(
        new RegExp(`^sftp://kefu@127\\.0\\.0\\.1:${closedPort}/srv/backups: cannot connect: .*ECONNREFUSED`),
      );
      expect(unreachable.error).not.toContain('never used');
      await alert('BackupFailed', 'firing', { target: 'sftp-beijing', kind: 'backup' });
      const netIncident = await until('an incident for the unreachable target', async () =>
        (await incidents()).find((i) => i.title.includes('备份目标 sftp-beijing 的 backup 失败')),
      );
      expect(netIncident).toMatchObject({ source: 'alert', severity: 'P3', component: 'backups', state: 'triggered' });
      expect(netIncident.id).not.toBe(keyIncident.id);
    },
  );
});
