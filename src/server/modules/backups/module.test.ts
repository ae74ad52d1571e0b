/**
 * The backups module through its API and jobs, on both engines: targets with their secrets stored
 * encrypted (never returned), "run now" queued and executed by the job, the nightly schedule
 * (backup, prune, verify), a drill that restores into a scratch database or folder and starts a
 * real Kefu, failures and staleness announced as `backup.*` events, and only the ops of the
 * installation (`installation.ops`) allowed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import type { Job } from '../../lib/jobs/queue.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { backupJobs, watchStaleness } from './jobs.ts';

const backupKey = 'module test backup key that is long enough';

describe.each(engines)('backups module on %s', (engine) => {
  let t: TestApp;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'kefu-bk-module-'));
    dirs.push(d);
    return d;
  };
  const job = (type: string, payload: unknown = {}) => backupJobs[type]({ payload } as Job, t.s);
  const events = async (prefix: string) =>
    (
      await allTables(t.s)
        .selectFrom('audit_log')
        .select(['action', 'data'])
        .where('action', 'like', `${prefix}%`)
        .orderBy('id')
        .execute()
    ).map((r) => r.action);

  it('targets keep their secrets encrypted; run now, nightly and a drill record runs and events', async () => {
    const clock = manualClock(new Date());
    t = await testApp(engine, { clock, config: { backupKey } });
    const { owner } = await t.workspace('vendor', { installationOwner: true });
    const folder = tmp();

    const s3 = await owner.post('/api/backups/targets', {
      kind: 's3',
      name: 'oss-hangzhou',
      offsite: true,
      settings: { endpoint: 'http://127.0.0.1:9', bucket: 'kefu-backups', accessKeyId: 'AKIDEXAMPLE', pathStyle: true },
      secrets: { secretAccessKey: 'very-secret-access-key-123' },
    });
    expect(s3.statusCode).toBe(201);
    expect(s3.json()).toMatchObject({ name: 'oss-hangzhou', secrets: ['secretAccessKey'], offsite: true });
    expect(s3.body).not.toContain('very-secret-access-key-123');
    const stored = await allTables(t.s).selectFrom('backup_targets').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain('very-secret-access-key-123');
    expect(JSON.stringify((await owner.get('/api/backups/targets')).json())).not.toContain(
      'very-secret-access-key-123',
    );
    // An update without secrets keeps them.
    const put = await owner.request({
      method: 'PUT',
      url: `/api/backups/targets/${s3.json().id}`,
      payload: {
        kind: 's3',
        name: 'oss-hangzhou',
        offsite: true,
        settings: {
          endpoint: 'http://127.0.0.1:9',
          bucket: 'kefu-backups-2',
          accessKeyId: 'AKIDEXAMPLE',
          pathStyle: true,
        },
      },
    });
    expect(put.json().secrets).toEqual(['secretAccessKey']);
    expect(
      (await owner.post('/api/backups/targets', { kind: 'local', name: 'bad', settings: { path: 'relative/path' } }))
        .statusCode,
    ).toBe(400);

    const local = (
      await owner.post('/api/backups/targets', { kind: 'local', name: 'local-nightly', settings: { path: folder } })
    ).json();
    const queued = await owner.post('/api/backups/runs', { targetId: local.id, kind: 'backup' });
    expect(queued.statusCode).toBe(202);
    expect(queued.json().status).toBe('queued');
    const jobRow = await allTables(t.s)
      .selectFrom('jobs')
      .selectAll()
      .where('type', '=', 'backups.run')
      .executeTakeFirstOrThrow();
    await job('backups.run', JSON.parse(jobRow.payload));
    // A retried job (its lease ran out) does not run it again.
    await job('backups.run', JSON.parse(jobRow.payload));
    const run = (await owner.get(`/api/backups/runs/${queued.json().id}`)).json();
    expect(run).toMatchObject({ status: 'ok', progress: 100, kind: 'backup', trigger: 'manual' });
    expect(run.bytes).toBeGreaterThan(0);
    const listed = (await owner.get(`/api/backups/targets/${local.id}/backups`)).json();
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ id: run.backupId, keep: ['last', 'daily', 'weekly', 'monthly'] });
    expect(listed.items[0].restoreCommand).toBe(
      engine === 'postgres'
        ? `kefu restore ${run.backupId} --target local-nightly --to postgres://USER@HOST/kefu_restored --files-to /srv/kefu-restored`
        : `kefu restore ${run.backupId} --target local-nightly --to /srv/kefu-restored`,
    );

    // The nightly job: a backup, prune and verify per enabled on-site target (the off-site S3 target is not touched).
    await job('backups.nightly');
    const kinds = (await owner.get('/api/backups/runs'))
      .json()
      .items.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`);
    expect(kinds).toEqual(['verify:ok', 'prune:ok', 'backup:ok', 'backup:ok']);
    expect((await owner.get('/api/backups/status')).json()).toMatchObject({
      keyConfigured: true,
      lastVerifiedAt: expect.any(String),
    });

    // The monthly copy to the off-site target fails (nothing listens at its endpoint): a failed run and an event.
    await job('backups.offsite');
    const copy = (await owner.get(`/api/backups/runs?targetId=${s3.json().id}&kind=copy`)).json().items[0];
    expect(copy).toMatchObject({ status: 'failed', error: expect.stringContaining('cannot') });

    await job('backups.drill');
    const drills = (await owner.get(`/api/backups/runs?kind=drill`)).json().items;
    const localDrill = drills.find((d: { targetId: string }) => d.targetId === local.id);
    expect(localDrill.status).toBe('ok');
    expect(localDrill.report).toMatchObject({ ok: true, backupId: expect.stringMatching(/^bak_/) });
    expect(localDrill.report.rtoMs).toBeGreaterThan(0);
    expect(localDrill.report.tables.find((x: { name: string }) => x.name === 'workspaces')).toMatchObject({
      name: 'workspaces',
      expected: 1,
      restored: 1,
      expectedChecksum: expect.stringMatching(/^[0-9a-f]{64}$/),
      ok: true,
    });
    expect(localDrill.report.sandbox).toMatchObject({ readyzStatus: 200, writeRefused: true, unchanged: true });

    expect(await events('backup')).toEqual(
      expect.arrayContaining([
        'backup_target.saved',
        'backup.requested',
        'backup.completed',
        'backup.verified',
        'backup.failed',
        'backup.drill_completed',
      ]),
    );

    // No verification for 26 hours: backup.stale, once a day.
    clock.advance(27 * 3600_000);
    expect(await watchStaleness(t.s)).toBe(true);
    expect(await watchStaleness(t.s)).toBe(false);
    expect((await events('backup.stale')).length).toBe(1);
  }, 180_000);

  it('without a key a run is refused; the ops of the installation reach backups, nobody else', async () => {
    t = await testApp(engine);
    const { owner, id } = await t.workspace('vendor', { installationOwner: true });
    const local = (
      await owner.post('/api/backups/targets', { kind: 'local', name: 'disk', settings: { path: tmp() } })
    ).json();
    const r = await owner.post('/api/backups/runs', { targetId: local.id, kind: 'backup' });
    expect([r.statusCode, r.json().error.code]).toEqual([409, 'backup_key_missing']);
    // The home workspace's ops engineer and admin (installation.ops) list targets and start runs.
    for (const role of ['ops', 'admin'] as const) {
      const other = await t.user(id, role);
      expect((await other.get('/api/backups/targets')).statusCode, role).toBe(200);
      expect((await other.get('/api/backups/status')).statusCode, role).toBe(200);
      const run = await other.post('/api/backups/runs', { targetId: local.id, kind: 'verify' });
      expect([run.statusCode, run.json().error?.code], role).toEqual([409, 'backup_key_missing']);
    }
    // Other roles of the home workspace, and every role of a merchant's workspace (its owner too), do not.
    for (const role of ['auditor', 'agent', 'readonly'] as const) {
      const other = await t.user(id, role);
      expect((await other.get('/api/backups/targets')).statusCode, role).toBe(403);
    }
    const shop = await t.workspace('shop');
    for (const client of [shop.owner, await t.user(shop.id, 'ops')])
      expect((await client.post('/api/backups/runs', { targetId: local.id, kind: 'backup' })).statusCode).toBe(403);
  });
});
