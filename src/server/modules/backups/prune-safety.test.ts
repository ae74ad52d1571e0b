/**
 * What the engine's prune deletes on a real folder target, on both engines' data (issue 13:
 * "chunks no longer referenced are pruned after the manifests; nothing that a kept backup needs is
 * ever deleted"): a damaged manifest is reported and no chunk is deleted while it exists (the
 * console's run names it); every backup prune keeps still verifies and restores on its own; and
 * every manifest is removed before the first chunk, so a prune stopped at any step leaves no kept
 * backup without its chunks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../lib/jobs/queue.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { scratchDatabase } from '../../testing/pg-database.ts';
import { backupJobs } from './jobs.ts';
import { prune } from './operations.ts';
import { backupWith, content, day, onlyNewest, photoChunks, pruneKey, recorded } from './prune-testing.ts';
import { openRepo } from './repo.ts';
import { restoreBackup } from './restore.ts';
import type { RetentionPolicy } from './retention.ts';
import { localTarget } from './targets/local.ts';
import { verifyRepo } from './verify.ts';

const tz = 'Asia/Shanghai';
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kefu-prune-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.each(engines)('what prune deletes, %s data', { timeout: 240_000 }, (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('a damaged manifest is reported, and no chunk it may reference is deleted', async () => {
    t = await testApp(engine, { config: { backupKey: pruneKey } });
    const { owner } = await t.workspace('vendor', { installationOwner: true });
    const dir = tmp();
    const repo = await openRepo(localTarget(dir), pruneKey, { create: true, now: day(1)() });
    const oldest = await backupWith(t.s, repo, content(), day(1));
    const damaged = await backupWith(t.s, repo, content(), day(2));
    const newest = await backupWith(t.s, repo, content(), day(3));
    const file = join(dir, 'snapshots', damaged.id);
    const box = readFileSync(file);
    box[box.length - 5] ^= 0xff;
    writeFileSync(file, box);
    const chunks = (await repo.chunkIds()).sort();

    const r = await prune(repo, onlyNewest, tz, day(3));
    expect(r.unreadable).toEqual([damaged.id]);
    expect(r.skipped).toBe(`unreadable manifests (${damaged.id}): no chunk deleted`);
    expect(r.chunksRemoved).toBe(0);
    // The readable backup the policy drops is forgotten; every chunk stays, the damaged backup's too.
    expect(r.removed).toEqual([oldest.id]);
    expect((await repo.chunkIds()).sort()).toEqual(chunks);
    for (const id of photoChunks(damaged)) expect(chunks).toContain(id);
    // Verification names it (its alert is DataLossDetected); the kept backup is whole.
    const v = await verifyRepo(repo);
    expect(v.backups.map((b) => [b.id, b.ok])).toEqual([
      [newest.id, true],
      [damaged.id, false],
    ]);

    // A prune run from the console records the reason where its history shows it.
    const target = (
      await owner.post('/api/backups/targets', {
        kind: 'local',
        name: 'nas',
        retention: { daily: 1, weekly: 0, monthly: 0 },
        settings: { path: dir },
      })
    ).json();
    const run = await owner.post('/api/backups/runs', { targetId: target.id, kind: 'prune' });
    const job = await allTables(t.s)
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'backups.run')
      .executeTakeFirstOrThrow();
    await backupJobs['backups.run']({ payload: JSON.parse(job.payload) } as Job, t.s);
    const shown = (await owner.get(`/api/backups/runs/${run.json().id}`)).json();
    expect(shown).toMatchObject({ status: 'ok', error: `unreadable manifests (${damaged.id}): no chunk deleted` });
    expect(shown.report).toMatchObject({ unreadable: [damaged.id], chunksRemoved: 0 });
    expect((await repo.chunkIds()).sort()).toEqual(chunks);
  });

  it('deletes manifests before chunks; every backup it keeps still verifies and restores', async () => {
    t = await testApp(engine);
    await t.workspace('shop');
    const target = recorded(localTarget(tmp()));
    const repo = await openRepo(target, pruneKey, { create: true, now: day(1)() });
    // Nine nights, each with its own photo; the weekend's data comes back on day 9 (shared chunks).
    const photos = Array.from({ length: 9 }, () => content());
    photos[8] = photos[2];
    const made = [];
    for (let n = 1; n <= 9; n++) made.push(await backupWith(t.s, repo, photos[n - 1], day(n)));
    const policy: RetentionPolicy = { last: 1, daily: 3, weekly: 2, monthly: 0 };
    target.calls.length = 0;

    const r = await prune(repo, policy, tz, day(9));
    expect(r.skipped).toBeUndefined();
    expect(r.removed.length).toBeGreaterThan(0);
    expect(r.chunksRemoved).toBeGreaterThan(0);
    const removals = target.calls.filter((c) => c.startsWith('remove snapshots/') || c.startsWith('remove chunks/'));
    const lastManifest = removals.findLastIndex((c) => c.startsWith('remove snapshots/'));
    const firstChunk = removals.findIndex((c) => c.startsWith('remove chunks/'));
    expect(removals.filter((c) => c.startsWith('remove snapshots/'))).toHaveLength(r.removed.length);
    expect(lastManifest).toBeLessThan(firstChunk);
    // The chunk of day 3's photo is still needed by day 9's backup: kept although day 3 is gone.
    expect(r.removed).toContain(made[2].id);
    for (const id of photoChunks(made[8])) expect(removals).not.toContain(`remove chunks/${id.slice(0, 2)}/${id}`);

    const kept = (await repo.manifests()).items;
    expect(kept.map((m) => m.id).sort()).toEqual(r.kept.map((k) => k.id).sort());
    expect((await verifyRepo(repo)).ok).toBe(true);
    // Each kept backup restores on its own, its photo byte for byte.
    for (const m of kept) {
      const db = engine === 'postgres' ? await scratchDatabase() : undefined;
      try {
        const folder = join(tmp(), 'data');
        await restoreBackup(repo, m, { folder, databaseUrl: db?.url }, { now: day(9) });
        const n = made.findIndex((x) => x.id === m.id);
        expect(readFileSync(join(folder, 'attachments', 'photo.bin')).equals(photos[n]), m.id).toBe(true);
      } finally {
        await db?.drop();
      }
    }
  });
});
