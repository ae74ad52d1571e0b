/**
 * The backup engine against real databases: a backup, a change, an incremental backup that stores
 * little, a restore into a new place compared row by row count and by content (a customer's
 * encrypted name decrypts with the restored key), verification that names exactly the backups a
 * damaged chunk belongs to, and a wrong key refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { closeServices, createServices } from '../../services.ts';
import { createLogger } from '../../lib/logger.ts';
import { WrongKeyError } from './crypto.ts';
import { createBackup } from './engine.ts';
import { openRepo } from './repo.ts';
import { restoreBackup } from './restore.ts';
import { sourceOf } from './source.ts';
import { localTarget } from './targets/local.ts';
import { verifyRepo } from './verify.ts';
import { scratchDatabase } from '../../testing/pg-database.ts';

const key = 'correct horse battery staple, backup edition 2026';
const now = () => new Date();

describe.each(engines)('backup engine on %s', (engine) => {
  let t: TestApp;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await t?.close();
  });
  const tmp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  async function leaveMessage(inboxPublicId: string, name: string, body: string) {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inboxPublicId}/offline-message`,
      payload: { name, contact: '13800138000', body },
    });
    expect(r.statusCode).toBe(200);
  }

  it('backs up, stores little the second time, and restores into a new place that a Kefu opens', async () => {
    t = await testApp(engine, { config: { offlineRatePerMinute: 1000 } });
    const { owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    for (let i = 0; i < 20; i++)
      await leaveMessage(inbox.publicId, `王小明${i}`, `快递三天没动了 ${i} ${'物流'.repeat(200)}`);
    mkdirSync(join(t.env.dataDir, 'attachments', 'ws1'), { recursive: true });
    writeFileSync(join(t.env.dataDir, 'attachments', 'ws1', 'photo.jpg'), randomBytes(300_000));

    const dir = tmp('kefu-target-');
    const repo = await openRepo(localTarget(dir), key, { create: true, now: now() });
    const source = await sourceOf(t.s);
    const first = await createBackup(source, repo, { now, reason: 'manual' });
    expect(first.tables.tickets).toBe(20);
    expect(first.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        engine === 'sqlite' ? 'kefu.db' : 'database.pgdump',
        'attachments/ws1/photo.jpg',
        'secret.key',
      ]),
    );
    // Nothing readable on the target: the attachment's bytes and the Chinese text are encrypted.
    const raw = readdirSync(join(dir, 'chunks'), { recursive: true })
      .map((n) => join(dir, 'chunks', String(n)))
      .filter((p) => !p.endsWith('/') && p.split('/').pop()!.length === 64)
      .map((p) => readFileSync(p).toString('utf8'));
    expect(raw.join('')).not.toContain('物流');

    await leaveMessage(inbox.publicId, '李四', '发票什么时候开');
    const second = await createBackup(source, repo, { now, reason: 'manual' });
    expect(second.tables.tickets).toBe(21);
    expect(second.storedBytes).toBeLessThan(first.storedBytes / 2);

    // A restore needs nothing but the target and the key.
    const again = await openRepo(localTarget(dir), key, { create: false, now: now() });
    const m = await again.manifest(second.id);
    const folder = join(tmp('kefu-restore-'), 'data');
    const db = engine === 'postgres' ? await scratchDatabase() : undefined;
    if (db) cleanups.push(db.drop);
    const result = await restoreBackup(again, m, { folder, databaseUrl: db?.url }, { now });
    expect(result.tables.tickets).toBe(21);
    expect(readFileSync(join(folder, 'attachments', 'ws1', 'photo.jpg'))).toEqual(
      readFileSync(join(t.env.dataDir, 'attachments', 'ws1', 'photo.jpg')),
    );

    const { config } = loadConfig({
      env: {},
      flags: { dataDir: folder, databaseUrl: db?.url, logLevel: 'silent', demo: false },
    });
    const restored = createServices(config, { log: createLogger('silent'), pgSchema: m.pgSchema });
    try {
      const names = await allTables(restored).selectFrom('customers').select('name_enc').execute();
      expect(names.map((r) => restored.cipher.decrypt(r.name_enc!)).sort()).toContain('李四');
      expect(names).toHaveLength(21);
      const tickets = await allTables(restored).selectFrom('tickets').select('subject').execute();
      expect(tickets).toHaveLength(21);
    } finally {
      await closeServices(restored);
    }
  }, 120_000);

  it('verification names exactly the backups that use a damaged chunk; a wrong key is refused', async () => {
    t = await testApp(engine);
    await t.workspace('shop');
    const dir = tmp('kefu-target-');
    const repo = await openRepo(localTarget(dir), key, { create: true, now: now() });
    const source = await sourceOf(t.s);
    const first = await createBackup(source, repo, { now, reason: 'manual' });
    mkdirSync(join(t.env.dataDir, 'attachments'), { recursive: true });
    writeFileSync(join(t.env.dataDir, 'attachments', 'new.bin'), randomBytes(50_000));
    const second = await createBackup(source, repo, { now, reason: 'manual' });
    expect((await verifyRepo(repo)).ok).toBe(true);

    const onlySecond = second.files.find((f) => f.path === 'attachments/new.bin')!.chunks[0];
    expect(first.files.some((f) => f.chunks.includes(onlySecond))).toBe(false);
    const file = join(dir, 'chunks', onlySecond.slice(0, 2), onlySecond);
    const box = readFileSync(file);
    box[box.length - 20] ^= 1;
    writeFileSync(file, box);
    const v = await verifyRepo(repo);
    expect(v.ok).toBe(false);
    expect(v.backups.filter((b) => !b.ok).map((b) => b.id)).toEqual([second.id]);
    expect(v.backups.find((b) => b.id === second.id)!.problems[0]).toContain(onlySecond);

    await expect(
      openRepo(localTarget(dir), 'another key that is long enough to be accepted', { create: false, now: now() }),
    ).rejects.toThrow(WrongKeyError);
  });
  it('a backup taken while chat messages and tickets are written holds every row committed before its consistency point', async () => {
    t = await testApp(engine, { config: { offlineRatePerMinute: 100_000 } });
    const { owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const committed: { n: number; at: number }[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        await leaveMessage(inbox.publicId, `顾客${n}`, `并发写入 ${n}`);
        committed.push({ n, at: Date.now() });
      }
    })();
    while (committed.length < 5) await new Promise((r) => setTimeout(r, 5));
    const repo = await openRepo(localTarget(tmp('kefu-target-')), key, { create: true, now: now() });
    const m = await createBackup(await sourceOf(t.s), repo, { now, reason: 'manual' });
    const backedUp = Date.now();
    while (committed.at(-1)!.at <= backedUp) await new Promise((r) => setTimeout(r, 5));
    writing = false;
    await writer;

    const folder = join(tmp('kefu-restore-'), 'data');
    const db = engine === 'postgres' ? await scratchDatabase() : undefined;
    if (db) cleanups.push(db.drop);
    // The restore itself checks the integrity and every table's row count against the manifest.
    await restoreBackup(repo, m, { folder, databaseUrl: db?.url }, { now });
    const { config } = loadConfig({
      env: {},
      flags: { dataDir: folder, databaseUrl: db?.url, logLevel: 'silent', demo: false },
    });
    const restored = createServices(config, { log: createLogger('silent'), pgSchema: m.pgSchema });
    try {
      const bodies = new Set(
        (await allTables(restored).selectFrom('messages').select('body').execute()).map((r) => r.body),
      );
      const before = committed.filter((c) => c.at < Date.parse(m.consistencyAt));
      expect(before.length).toBeGreaterThanOrEqual(5);
      for (const c of before) expect(bodies.has(`并发写入 ${c.n}`), `message ${c.n}`).toBe(true);
      // Rows after the consistency point were written meanwhile (the backup did not stop the writer).
      expect(committed.length).toBeGreaterThan(before.length);
      const tickets = await allTables(restored).selectFrom('tickets').select('id').execute();
      expect(tickets.length).toBe(m.tables.tickets);
    } finally {
      await closeServices(restored);
    }
  }, 120_000);
});
