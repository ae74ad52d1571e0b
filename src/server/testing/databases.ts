/**
 * Migrated databases for test apps, built once and handed out many times.
 *
 * - SQLite: a template file migrated once per run (by the global setup, or by the first test of a
 *   worker that runs without it), copied into each app's data folder.
 * - PostgreSQL: schemas migrated once per worker process and reused. A schema goes back to its
 *   worker when its app closes, and is emptied (every row deleted, sequences restarted; the
 *   migration tables kept) before the next app gets it, so each app starts on an empty migrated
 *   database as before. Two apps open at once get two schemas. The schemas are named after the
 *   run, so that runs sharing a database never touch each other's; the global teardown drops them.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openDb } from '../db/index.ts';
import { onServer } from '../db/scratch.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** Schemas of test runs start with this, then the run id. */
export const runSchemaPrefix = 't_';

/** This run's id (from the global setup), or one of this process when there is none. */
const runId = (): string => (state.run ??= inject('kefuTestRun') ?? randomBytes(5).toString('hex'));

type State = {
  run?: string;
  sqliteTemplate?: Promise<string>;
  free: string[];
  created: number;
  resetSql?: Promise<(schema: string) => string>;
};
// On globalThis: one pool per worker process, also when Vitest re-imports modules for each file.
const stateKey = Symbol.for('kefu.testing.databases');
const state: State = ((globalThis as Record<symbol, State>)[stateKey] ??= { free: [], created: 0 });

/** A migrated SQLite file at `file`, copied from the run's template. */
export async function migratedSqliteFile(file: string): Promise<void> {
  copyFileSync(await sqliteTemplate(), file);
}

function sqliteTemplate(): Promise<string> {
  return (state.sqliteTemplate ??= (async () => {
    const provided = inject('kefuSqliteTemplate');
    if (provided && existsSync(provided)) return provided;
    const file = join(mkdtempSync(join(tmpdir(), 'kefu-template-')), 'kefu.db');
    await buildSqliteTemplate(file);
    return file;
  })());
}

/** Migrates a new SQLite file, and leaves it whole in one file (no WAL beside it) for copying. */
export async function buildSqliteTemplate(file: string): Promise<void> {
  const h = openDb({ sqliteFile: file });
  try {
    await migrateToLatest(h.db);
    await sql`pragma wal_checkpoint(truncate)`.execute(h.db);
  } finally {
    await h.close();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A migrated, empty PostgreSQL schema of this worker for one app; `release` gives it back once
 * nothing uses it any more (a schema never released is never reused).
 */
export async function migratedPgSchema(url: string): Promise<{ schema: string; release(): void }> {
  let schema = state.free.pop();
  if (schema) {
    const resetSql = await state.resetSql!;
    await onServer(url, (c) => c.query(resetSql(schema!)));
  } else {
    schema = `${runSchemaPrefix}${runId()}_${process.pid}_${++state.created}`;
    await onServer(url, (c) => c.query(`create schema ${quote(schema!)}`));
    const h = openDb({ databaseUrl: url, pgSchema: schema, poolSize: 1 });
    try {
      await migrateToLatest(h.db);
    } finally {
      await h.close();
    }
    const first = schema;
    state.resetSql ??= onServer(url, (c) => resetPlan(c, first));
    await state.resetSql;
  }
  let released = false;
  return {
    schema,
    release() {
      if (released) return;
      released = true;
      state.free.push(schema!);
    },
  };
}

const migrationTables = new Set(['kefu_migrations', 'kefu_migrations_lock']);

/**
 * The SQL that empties a migrated schema: rows deleted children first (foreign keys), with the
 * user triggers of tables that refuse deletes (the append-only audit log) off meanwhile, and
 * sequences restarted. Worked out once from a freshly migrated schema, which must hold no rows
 * outside the migration tables (a migration that seeds data would need this to restore it).
 */
async function resetPlan(c: pg.Client, schema: string): Promise<(schema: string) => string> {
  const tables = (
    await c.query<{ oid: number; name: string }>(
      `select c.oid, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relkind in ('r', 'p')`,
      [schema],
    )
  ).rows
    .filter((t) => !migrationTables.has(t.name))
    .map((t) => ({ oid: Number(t.oid), name: t.name }));
  for (const t of tables) {
    const { rows } = await c.query(`select 1 from ${quote(schema)}.${quote(t.name)} limit 1`);
    if (rows.length)
      throw new Error(`a freshly migrated schema has rows in ${t.name}: the test harness cannot reset it by deleting`);
  }
  const fks = (
    await c.query<{ child: number; parent: number }>(
      `select conrelid as child, confrelid as parent from pg_constraint
       where contype = 'f' and connamespace = (select oid from pg_namespace where nspname = $1)`,
      [schema],
    )
  ).rows
    .map((f) => ({ child: Number(f.child), parent: Number(f.parent) }))
    .filter((f) => f.child !== f.parent);
  const guarded = new Set(
    (
      await c.query<{ oid: number }>(
        // tgtype bit 3 (8): the trigger fires on DELETE.
        `select distinct tgrelid as oid from pg_trigger
         where not tgisinternal and (tgtype & 8) <> 0 and tgrelid = any($1::oid[])`,
        [tables.map((t) => t.oid)],
      )
    ).rows.map((r) => Number(r.oid)),
  );
  const sequences = (
    await c.query<{ name: string }>('select sequencename as name from pg_sequences where schemaname = $1', [schema])
  ).rows.map((r) => r.name);

  // Children first: a table is emptied once no table left references it.
  const order: typeof tables = [];
  let left = [...tables];
  while (left.length) {
    const ready = left.filter((t) => !fks.some((f) => f.parent === t.oid && left.some((l) => l.oid === f.child)));
    if (!ready.length) break;
    order.push(...ready);
    left = left.filter((t) => !ready.includes(t));
  }
  return (s: string) => {
    const q = (name: string) => `${quote(s)}.${quote(name)}`;
    const statements = left.length
      ? // A cycle of foreign keys: TRUNCATE empties all the tables at once.
        [`truncate ${tables.map((t) => q(t.name)).join(', ')}`]
      : order.flatMap((t) =>
          guarded.has(t.oid)
            ? [
                `alter table ${q(t.name)} disable trigger user`,
                `delete from ${q(t.name)}`,
                `alter table ${q(t.name)} enable trigger user`,
              ]
            : [`delete from ${q(t.name)}`],
        );
    return ['begin', ...statements, ...sequences.map((n) => `alter sequence ${q(n)} restart`), 'commit'].join(';\n');
  };
}
