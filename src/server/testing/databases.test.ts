/**
 * The test harness's reused databases: an app on a reused PostgreSQL schema starts on an empty,
 * migrated database, as on a fresh one (rows gone, the audit log's append-only guard back on,
 * sequences restarted); a SQLite app starts on a migrated copy.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { pendingMigrations } from '../db/migrate.ts';
import { allTables, engines, testApp, type TestApp } from './harness.ts';

describe.each(engines)('test databases on %s', (engine) => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
  });
  const app = async () => {
    const t = await testApp(engine);
    apps.push(t);
    return t;
  };

  it('start migrated and empty, also when reused after another app wrote to them', async () => {
    const first = await app();
    expect(await pendingMigrations(first.s.db)).toEqual([]);
    const { owner } = await first.workspace('shop');
    await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } });
    const seqs = async (t: TestApp) =>
      (await allTables(t.s).selectFrom('outbox').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    expect((await seqs(first)).length).toBeGreaterThan(1);
    expect(await allTables(first.s).selectFrom('audit_log').select('id').execute()).not.toEqual([]);
    const schemaOf = async (t: TestApp) =>
      (await sql<{ s: string }>`select current_schema() as s`.execute(t.s.db)).rows[0].s;
    const firstPlace = engine === 'postgres' ? await schemaOf(first) : first.env.dataDir;
    await apps.pop()!.close();

    const second = await app();
    // The worker's one free schema is handed out again (a SQLite app gets a fresh copy).
    if (engine === 'postgres') expect(await schemaOf(second)).toBe(firstPlace);
    else expect(second.env.dataDir).not.toBe(firstPlace);
    expect(await pendingMigrations(second.s.db)).toEqual([]);
    for (const table of ['workspaces', 'users', 'inboxes', 'audit_log', 'outbox', 'outbox_receipts'] as const)
      expect(
        await allTables(second.s)
          .selectFrom(table)
          .select(sql`1`.as('x'))
          .execute(),
        table,
      ).toEqual([]);
    // Numbering starts again, and the audit log is append-only again.
    const { owner: again } = await second.workspace('shop');
    await again.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } });
    expect((await seqs(second))[0]).toBe(1);
    await expect(allTables(second.s).deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('give two apps open at once two databases', async () => {
    const [a, b] = await Promise.all([app(), app()]);
    await a.workspace('only-in-a');
    expect(await allTables(b.s).selectFrom('workspaces').select('slug').execute()).toEqual([]);
  });
});
