/**
 * Configured retention through the console API, on both engines: the installation's policy comes
 * from the config (`backupRetention`), a target may set its own (validated: a bad count is a 400
 * naming the field), and the listing's keep reasons and a prune follow the policy that applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../lib/jobs/queue.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { backupJobs } from './jobs.ts';
import { backupLocked } from './operations.ts';
import { openRepo } from './repo.ts';
import { sourceOf } from './source.ts';
import { localTarget } from './targets/local.ts';

const backupKey = 'retention test backup key that is long enough';

describe.each(engines)('configured retention on %s', (engine) => {
  let t: TestApp;
  let folder: string;
  afterEach(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('applies the installation policy from the config, or a target’s own set in the console', async () => {
    folder = mkdtempSync(join(tmpdir(), 'kefu-bk-retention-'));
    const onsite = { daily: 2, weekly: 1, monthly: 1 };
    t = await testApp(engine, { config: { backupKey, backupRetention: { onsite } } });
    const { owner } = await t.workspace('vendor', { installationOwner: true });
    expect((await owner.get('/api/backups/status')).json().retention).toEqual({
      onsite,
      offsite: { daily: 0, weekly: 0, monthly: 12 },
    });
    const body = { kind: 'local', name: 'nas', settings: { path: folder } };
    const created = await owner.post('/api/backups/targets', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ retention: null, effectiveRetention: onsite });

    // Three backups on three days (Asia/Shanghai), straight into the target's folder.
    const target = localTarget(folder);
    const repo = await openRepo(target, backupKey, { create: true, now: new Date() });
    const source = await sourceOf(t.s);
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03'])
      await backupLocked(source, repo, { now: () => new Date(`${day}T03:00:00+08:00`), reason: 'manual' });
    await target.close();
    const listed = async () =>
      (await owner.get(`/api/backups/targets/${created.json().id}/backups`)).json().items as { keep: string[] }[];
    expect((await listed()).map((b) => b.keep)).toEqual([['last', 'daily', 'weekly', 'monthly'], ['daily'], []]);

    const bad = await owner.request({
      method: 'PUT',
      url: `/api/backups/targets/${created.json().id}`,
      payload: { ...body, retention: { daily: -1, weekly: 0, monthly: 0 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/retention\/daily/);
    const none = await owner.request({
      method: 'PUT',
      url: `/api/backups/targets/${created.json().id}`,
      payload: { ...body, retention: { daily: 0, weekly: 0, monthly: 0 } },
    });
    expect([none.statusCode, none.json().error.message]).toEqual([400, expect.stringContaining('keep at least one')]);

    const own = { daily: 1, weekly: 0, monthly: 0 };
    const saved = await owner.request({
      method: 'PUT',
      url: `/api/backups/targets/${created.json().id}`,
      payload: { ...body, retention: own },
    });
    expect(saved.json()).toMatchObject({ retention: own, effectiveRetention: own });
    expect((await listed()).map((b) => b.keep)).toEqual([['last', 'daily'], [], []]);

    const run = await owner.post('/api/backups/runs', { targetId: created.json().id, kind: 'prune' });
    const jobRow = await allTables(t.s)
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'backups.run')
      .executeTakeFirstOrThrow();
    await backupJobs['backups.run']({ payload: JSON.parse(jobRow.payload) } as Job, t.s);
    expect((await owner.get(`/api/backups/runs/${run.json().id}`)).json()).toMatchObject({ status: 'ok' });
    expect(await listed()).toHaveLength(1);
  });
});
