/**
 * The engine's prune against a target in use (issue 13: "nothing that a kept backup needs is ever
 * deleted"), on both engines' data: a target locked by a backup on another node is left alone (a
 * stale lock, or one of a process of this host that is gone, is not); and the race the lock exists
 * for — a backup starting while a prune is between its listing and its deletions, reusing chunks
 * of a backup that prune forgets — ends with every kept backup whole: the backup waits for the
 * prune and writes those chunks again. The folder cases, and the lock on S3 (s3rver, an S3
 * emulator for tests).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { startS3rver, type S3Emulator } from '../../testing/s3rver.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { scratchDatabase } from '../../testing/pg-database.ts';
import { backupLocked, lockStaleMs, prune } from './operations.ts';
import { backupWith, content, day, onlyNewest, photoChunks, pruneKey, recorded } from './prune-testing.ts';
import { openRepo } from './repo.ts';
import { restoreBackup } from './restore.ts';
import { sourceOf } from './source.ts';
import { localTarget } from './targets/local.ts';
import { s3Target } from './targets/s3.ts';
import type { Target } from './targets/types.ts';
import { verifyRepo } from './verify.ts';

const tz = 'Asia/Shanghai';
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kefu-prune-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Two backups (the older one forgotten by `onlyNewest`) and a lock written by `lock` (null: none). */
async function lockedCase(t: TestApp, target: Target, lock: object | null) {
  const repo = await openRepo(target, pruneKey, { create: true, now: day(1)() });
  const old = await backupWith(t.s, repo, content(), day(1));
  const newest = await backupWith(t.s, repo, content(), day(2));
  if (lock) await target.put('locks/lck_01OTHERNODE', Buffer.from(JSON.stringify(lock)));
  return { repo, old, newest, chunks: (await repo.chunkIds()).sort() };
}

describe.each(engines)('prune of a target in use, %s data', { timeout: 180_000 }, (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('skips a target locked by a backup on another node; a stale lock or a dead process’s lock is no obstacle', async () => {
    t = await testApp(engine);
    await t.workspace('shop');
    const now = day(2);
    const target = localTarget(tmp());
    const otherNode = { host: 'kefu-node-2', pid: 4242, at: now().toISOString() };
    const { repo, old, newest, chunks } = await lockedCase(t, target, otherNode);

    const r = await prune(repo, onlyNewest, tz, now);
    expect(r).toMatchObject({ removed: [], chunksRemoved: 0, skipped: 'the target is in use (locks/lck_01OTHERNODE)' });
    expect((await repo.manifests()).items.map((m) => m.id)).toEqual([old.id, newest.id]);
    expect((await repo.chunkIds()).sort()).toEqual(chunks);
    // Prune's own lock is gone; the other node's stays.
    expect(await target.list('locks/')).toEqual(['locks/lck_01OTHERNODE']);

    // The same lock six hours later: the run that wrote it died.
    const later = () => new Date(now().getTime() + lockStaleMs);
    const stale = await prune(repo, onlyNewest, tz, later);
    expect([stale.removed, stale.skipped]).toEqual([[old.id], undefined]);
    expect(stale.chunksRemoved).toBeGreaterThan(0);

    // A lock of this host whose process has exited is a run that died too.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const third = await backupWith(t.s, repo, content(), day(3));
    await target.remove('locks/lck_01OTHERNODE');
    await target.put(
      'locks/lck_01DEADPROCESS',
      Buffer.from(JSON.stringify({ host: hostname(), pid: dead, at: day(3)().toISOString() })),
    );
    const afterDead = await prune(repo, onlyNewest, tz, day(3));
    expect([afterDead.removed, afterDead.skipped]).toEqual([[newest.id], undefined]);
    // A live process of this host (this one) holds it.
    await target.put(
      'locks/lck_01LIVEPROCESS',
      Buffer.from(JSON.stringify({ host: hostname(), pid: process.pid, at: day(4)().toISOString() })),
    );
    await backupWith(t.s, repo, content(), day(4));
    expect((await prune(repo, onlyNewest, tz, day(4))).skipped).toMatch(/in use \(locks\/lck_01LIVEPROCESS\)/);
    expect((await repo.manifests()).items.map((m) => m.id)).toContain(third.id);
  });

  it('a backup that starts while prune is between its listing and its deletions waits, and every kept backup restores', async () => {
    t = await testApp(engine);
    await t.workspace('shop');
    const dir = tmp();
    const photo = content();
    // Node A: the photo in a backup that prune will forget, then other data.
    const pruner = recorded(localTarget(dir));
    const repoA = await openRepo(pruner, pruneKey, { create: true, now: day(1)() });
    const forgotten = await backupWith(t.s, repoA, photo, day(1));
    const kept = await backupWith(t.s, repoA, content(), day(2));

    // Prune runs and is held just before it lists the chunks to delete.
    const held = pruner.hold((c) => c === 'list chunks/');
    const pruning = prune(repoA, onlyNewest, tz, day(3));
    await held.reached;
    expect((await repoA.manifests()).items.map((m) => m.id)).toEqual([kept.id]);

    // Node B opens the target (listing its chunks: the forgotten photo's are there) and backs up the same photo.
    const backer = recorded(localTarget(dir));
    const repoB = await openRepo(backer, pruneKey, { create: true, now: day(3)() });
    const started = backupWith(t.s, repoB, photo, day(3)).then(() => 'finished' as const);
    void started.catch(() => undefined);
    // It must not finish under the prune: it waits (lists the locks a second time) for prune's lock to go.
    const waiting = backer.seen((c) => c === 'list locks/', 2).then(() => 'waiting' as const);
    expect(await Promise.race([started, waiting])).toBe('waiting');
    held.release();
    const pruned = await pruning;
    expect(pruned.removed).toEqual([forgotten.id]);
    expect(pruned.chunksRemoved).toBeGreaterThanOrEqual(photoChunks(forgotten).length);
    await started;

    // Both backups on the target are whole: verified, and the newest restores the photo.
    const all = (await repoA.manifests()).items;
    expect(all.map((m) => m.id)).toEqual([kept.id, expect.stringMatching(/^bak_/)]);
    const v = await verifyRepo(repoA);
    expect(v.backups.map((b) => [b.id === kept.id ? 'kept' : 'new', b.ok, b.problems])).toEqual([
      ['kept', true, []],
      ['new', true, []],
    ]);
    const db = engine === 'postgres' ? await scratchDatabase() : undefined;
    try {
      const folder = join(tmp(), 'data');
      await restoreBackup(repoA, all[1], { folder, databaseUrl: db?.url }, { now: day(3) });
      expect(readFileSync(join(folder, 'attachments', 'photo.bin')).equals(photo)).toBe(true);
    } finally {
      await db?.drop();
    }
  });
});

describe('prune of a locked S3 target (s3rver, an S3 emulator for tests)', { timeout: 120_000 }, () => {
  let server: S3Emulator;
  let endpoint: string;
  let t: TestApp;
  beforeAll(async () => {
    server = await startS3rver();
    endpoint = server.endpoint;
    t = await testApp('sqlite');
    await t.workspace('shop');
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('skips while another node backs up there, then prunes and the kept backup still verifies', async () => {
    const target = s3Target({
      endpoint,
      region: 'us-east-1',
      bucket: 'kefu-backups',
      prefix: 'kefu/prod',
      pathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    const { repo, old, newest } = await lockedCase(t, target, {
      host: 'kefu-node-2',
      pid: 4242,
      at: day(2)().toISOString(),
    });
    expect((await prune(repo, onlyNewest, tz, day(2))).skipped).toMatch(/^the target is in use/);
    expect((await repo.manifests()).items).toHaveLength(2);
    // The other node's backup ends (its lock removed): this one runs, under its own lock, and leaves none.
    await target.remove('locks/lck_01OTHERNODE');
    const third = await backupLocked(await sourceOf(t.s), repo, { now: day(3), reason: 'manual' });
    const r = await prune(repo, onlyNewest, tz, day(3));
    expect(r.removed.sort()).toEqual([old.id, newest.id].sort());
    expect(await target.list('locks/')).toEqual([]);
    const v = await verifyRepo(repo);
    expect(v.backups.map((b) => [b.id, b.ok])).toEqual([[third.id, true]]);
  });
});
