/**
 * The contract's monthly copy to a server in another city, end to end through the jobs: an on-site folder takes the nightly backups, and the monthly job copies the newest one
 * to two off-site targets, a folder marked off-site and a real OpenSSH server (SFTP, key login).
 * Thirteen months of copies later each off-site target keeps exactly the last 12 months (the
 * default off-site policy, "monthly 12"), the first copy is pruned there, and a drill restores the
 * newest copy from each off-site target (a real Kefu on it answers /readyz).
 *
 * On one engine (the last available: PostgreSQL in CI): a copy moves sealed chunks between
 * targets whatever the database is, and both engines' backup sources, restores and drills are
 * tested in engine, drill and cli tests. Thirteen months on both engines took 400 s on a quiet
 * machine, more than any other file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import type { Job } from '../../lib/jobs/queue.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { startSshd, type Sshd } from '../../testing/sshd.ts';
import { backupJobs } from './jobs.ts';

const backupKey = 'offsite test backup key that is long enough';
/** 04:30 in Shanghai on the 1st of month `i` of 2025 (the monthly job's time). */
const monthly = (i: number) => new Date(Date.UTC(2025, i, 1, 4, 30) - 8 * 3600_000);

type Listed = { id: string; createdAt: string; keep: string[] };
type Run = { id: string; kind: string; status: string; error: string | null; backupId: string | null; report: any };

describe.each(engines.slice(-1))('monthly off-site copies on %s', (engine) => {
  let t: TestApp;
  let sshd: Sshd;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'kefu-bk-offsite-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterEach(async () => t?.close());
  afterAll(async () => {
    await sshd?.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('copies the newest backup to every off-site target each month, keeps 12 months there, and the copy restores', async () => {
    const clock = manualClock(new Date(monthly(0).getTime() - 2 * 3600_000));
    t = await testApp(engine, { clock, config: { backupKey } });
    const home = await t.workspace('vendor', { installationOwner: true });
    // Sessions do not last months: each month an ops engineer of the installation signs in afresh.
    let owner = home.owner;
    const signIn = async () => void (owner = await t.user(home.id, 'ops'));
    const job = (type: string, payload: unknown = {}) => backupJobs[type]({ payload } as Job, t.s);
    const create = async (body: unknown) => {
      const r = await owner.post('/api/backups/targets', body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; name: string };
    };
    const onsite = await create({ kind: 'local', name: 'local-nightly', settings: { path: tmp() } });
    const nas = await create({ kind: 'local', name: 'nas-beijing', offsite: true, settings: { path: tmp() } });
    const sftp = await create({
      kind: 'sftp',
      name: 'sftp-guangzhou',
      offsite: true,
      settings: { host: '127.0.0.1', port: sshd.port, username: sshd.username, path: join(sshd.root, 'kefu') },
      secrets: { privateKey: sshd.privateKey },
    });
    const offsite = [nas, sftp];
    const runs = async (targetId: string, kind: string): Promise<Run[]> =>
      (await owner.get(`/api/backups/runs?targetId=${targetId}&kind=${kind}`)).json().items;
    const listed = async (targetId: string): Promise<Listed[]> => {
      const r = await owner.get(`/api/backups/targets/${targetId}/backups`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items;
    };

    // Thirteen months: the nightly backup at 03:00, then the monthly copy at 04:30 of the 1st.
    const copied: string[] = [];
    for (let i = 0; i < 13; i++) {
      clock.set(new Date(monthly(i).getTime() - 90 * 60_000));
      if (i === 12) await t.workspace('late-shop'); // data written in the last month: the last copy holds it
      await job('backups.nightly');
      clock.set(monthly(i));
      await job('backups.offsite');
      await signIn();
      const newest = (await runs(onsite.id, 'backup'))[0];
      expect(newest.status).toBe('ok');
      for (const target of offsite) {
        const copy = (await runs(target.id, 'copy'))[0];
        expect(copy, `${target.name} month ${i}`).toMatchObject({
          status: 'ok',
          error: null,
          backupId: newest.backupId,
        });
        expect((await runs(target.id, 'prune'))[0].status).toBe('ok');
      }
      copied.push(newest.backupId!);
    }
    // Only the monthly job touched the off-site targets: no nightly backup went there.
    for (const target of offsite) {
      expect(await runs(target.id, 'backup')).toEqual([]);
      expect(await runs(target.id, 'copy')).toHaveLength(13);
    }

    // Each off-site target holds the last 12 monthly copies, each kept as "monthly"; the first was pruned.
    for (const target of offsite) {
      const items = await listed(target.id);
      expect(
        items.map((b) => b.id),
        target.name,
      ).toEqual(copied.slice(1).reverse());
      for (const b of items) expect(b.keep).toContain('monthly');
      const targetJson = (await owner.get('/api/backups/targets'))
        .json()
        .items.find((x: { id: string }) => x.id === target.id);
      expect(targetJson.effectiveRetention).toEqual({ daily: 0, weekly: 0, monthly: 12 });
    }
    // The SFTP server's host key was pinned on the first copy.
    const sftpRow = await allTables(t.s)
      .selectFrom('backup_targets')
      .selectAll()
      .where('id', '=', sftp.id)
      .executeTakeFirstOrThrow();
    expect(sftpRow.host_key).toMatch(/^SHA256:/);

    // A drill of each off-site target restores its newest copy (the last month's, with the late shop) and starts Kefu on it.
    await job('backups.drill');
    for (const target of offsite) {
      const drill = (await runs(target.id, 'drill'))[0];
      expect(drill, target.name).toMatchObject({ status: 'ok', backupId: copied[12] });
      expect(drill.report).toMatchObject({ ok: true, problems: [] });
      expect(drill.report.tables.find((x: { name: string }) => x.name === 'workspaces')).toMatchObject({
        name: 'workspaces',
        expected: 2,
        restored: 2,
      });
    }
  }, 900_000);
});
