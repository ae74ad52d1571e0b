import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migratedPgSchema, migratedSqliteFile } from '../testing/databases.ts';
import { allTables, freshPgSchema, engines, pgUrl } from '../testing/harness.ts';
import { openDb, type DbHandle, type Engine } from './index.ts';
import { migrateToLatest, migrationsDir, pendingMigrations } from './migrate.ts';

const allMigrations = readdirSync(migrationsDir)
  .filter((f) => /^\d{4}-[\w-]+\.ts$/.test(f))
  .sort()
  .map((f) => f.replace(/\.ts$/, ''));

/**
 * One fresh, empty database (a temp SQLite file or a fresh PostgreSQL schema), or with `migrated`
 * the harness's empty migrated one (for tests of what the migrated database does), and a way to
 * open handles on it.
 */
async function freshDatabase(engine: Engine, migrated = false) {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-migrate-'));
  const pgs =
    engine !== 'postgres'
      ? undefined
      : migrated
        ? await migratedPgSchema(pgUrl!).then((m) => ({ schema: m.schema, drop: async () => m.release() }))
        : await freshPgSchema();
  if (migrated && !pgs) await migratedSqliteFile(join(dir, 'kefu.db'));
  const handles: DbHandle[] = [];
  return {
    open(): DbHandle {
      const h = pgs
        ? openDb({ databaseUrl: pgUrl, pgSchema: pgs.schema, poolSize: 4 })
        : openDb({ sqliteFile: join(dir, 'kefu.db') });
      handles.push(h);
      return h;
    },
    async cleanup() {
      for (const h of handles) await h.close();
      await pgs?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const recorded = async (h: DbHandle) =>
  (
    await allTables(h)
      .selectFrom('kefu_migrations' as never)
      .select('name' as never)
      .execute()
  )
    .map((r) => (r as { name: string }).name)
    .sort();

const now = '2026-03-01T00:00:00.000Z';
const workspace = (id: string) => ({
  id,
  name: `Workspace ${id}`,
  slug: id,
  timezone: 'UTC',
  default_language: 'en',
  created_at: now,
  updated_at: now,
});

describe.each(engines)('migrations on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  const fresh = async (migrated = false) => {
    const d = await freshDatabase(engine, migrated);
    cleanups.push(d.cleanup);
    return d;
  };

  it('applies every migration once; a second run applies nothing', async () => {
    expect(allMigrations.length).toBeGreaterThan(0);
    const h = (await fresh()).open();
    expect(await pendingMigrations(h.db)).toEqual(allMigrations);
    expect(await migrateToLatest(h.db)).toEqual(allMigrations);
    expect(await pendingMigrations(h.db)).toEqual([]);
    expect(await migrateToLatest(h.db)).toEqual([]);
    expect(await recorded(h)).toEqual(allMigrations);
  });

  it('lets two handles on one database migrate at the same time: both succeed, each migration runs once', async () => {
    for (let round = 0; round < 3; round++) {
      const d = await fresh();
      const [a, b] = [d.open(), d.open()];
      const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      expect([...ra, ...rb].sort()).toEqual(allMigrations);
      expect(await recorded(a)).toEqual(allMigrations);
      expect(await pendingMigrations(a.db)).toEqual([]);
      expect(await pendingMigrations(b.db)).toEqual([]);
      // The schema is usable from both.
      await allTables(a)
        .insertInto('workspaces')
        .values(workspace(`ws${round}`))
        .execute();
      expect(await allTables(b).selectFrom('workspaces').select('slug').execute()).toEqual([{ slug: `ws${round}` }]);
    }
  });

  it('rolls a transaction back when its function throws, and commits when it returns', async () => {
    const h = (await fresh(true)).open();
    await expect(
      allTables(h)
        .transaction()
        .execute(async (tx) => {
          await tx.insertInto('workspaces').values(workspace('gone')).execute();
          expect(await tx.selectFrom('workspaces').select('id').execute()).toHaveLength(1);
          throw new Error('boom');
        }),
    ).rejects.toThrow('boom');
    expect(await allTables(h).selectFrom('workspaces').select('id').execute()).toEqual([]);
    const r = await allTables(h)
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('workspaces').values(workspace('kept')).execute();
        return 'ok';
      });
    expect(r).toBe('ok');
    expect(await allTables(h).selectFrom('workspaces').select('id').execute()).toEqual([{ id: 'kept' }]);
  });

  it('makes a write from another handle wait for an open transaction instead of failing', async () => {
    const d = await fresh(true);
    const [a, b] = [d.open(), d.open()];
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const slow = allTables(a)
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('workspaces').values(workspace('first')).execute();
        inside();
        await new Promise((r) => setTimeout(r, 100)); // holds the write lock across an await
        await tx.insertInto('workspaces').values(workspace('second')).execute();
      });
    await entered;
    const other = allTables(b).insertInto('workspaces').values(workspace('other')).execute();
    const inOtherTx = allTables(b)
      .transaction()
      .execute((tx) => tx.insertInto('workspaces').values(workspace('third')).execute());
    await Promise.all([slow, other, inOtherTx]);
    expect((await allTables(b).selectFrom('workspaces').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(
      ['first', 'other', 'second', 'third'],
    );
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const h = (await fresh(true)).open();
    await allTables(h).insertInto('workspaces').values(workspace('acme')).execute();
    const row = {
      id: 'aud_1',
      workspace_id: 'acme',
      actor_type: 'user',
      actor_id: null,
      actor_name: 'Ann',
      action: 'thing.done',
      object_type: 'thing',
      object_id: 't1',
      ip: null,
      data: '{}',
      created_at: now,
    };
    await allTables(h).insertInto('audit_log').values(row).execute();
    await expect(
      allTables(h).updateTable('audit_log').set({ action: 'thing.undone' }).where('id', '=', 'aud_1').execute(),
    ).rejects.toThrow(/append-only/);
    await expect(allTables(h).deleteFrom('audit_log').where('id', '=', 'aud_1').execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(allTables(h).deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await allTables(h)
      .insertInto('audit_log')
      .values({ ...row, id: 'aud_2' })
      .execute();
    expect(await allTables(h).selectFrom('audit_log').selectAll().orderBy('id').execute()).toEqual([
      row,
      { ...row, id: 'aud_2' },
    ]);
  });

  // Schemas are a PostgreSQL notion: this case exists only there (not a skipped test on SQLite).
  if (engine === 'postgres')
    it('migrates a schema while another schema of the same database is already migrated', async () => {
      const first = (await fresh()).open();
      expect(await migrateToLatest(first.db)).toEqual(allMigrations);
      const second = (await fresh()).open();
      expect(await pendingMigrations(second.db)).toEqual(allMigrations);
      expect(await migrateToLatest(second.db)).toEqual(allMigrations);
      expect(await recorded(second)).toEqual(allMigrations);
      expect(await allTables(second).selectFrom('workspaces').select('id').execute()).toEqual([]);
    });

  if (engine === 'postgres')
    it('migrates while other schemas of the database are created and dropped (it looks at its own only)', async () => {
      const h = (await fresh()).open();
      const churn = { on: true, rounds: 0 };
      const churning = (async () => {
        for (; churn.on || churn.rounds < 3; churn.rounds++) await (await freshPgSchema()).drop();
      })();
      try {
        expect(await migrateToLatest(h.db)).toEqual(allMigrations);
        for (let i = 0; i < 10; i++) expect(await pendingMigrations(h.db)).toEqual([]);
      } finally {
        churn.on = false;
        await churning;
      }
      const own = (await sql<{ s: string }>`select current_schema() as s`.execute(h.db)).rows[0].s;
      const tables = await h.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toContain('workspaces');
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([own]));
    });
});
