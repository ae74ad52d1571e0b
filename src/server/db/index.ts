/**
 * The data layer: one Kysely instance over SQLite (embedded default) or PostgreSQL.
 * Times are stored as ISO-8601 UTC text and flags as 0/1 integers in both engines, so rows
 * read the same whichever engine holds them (see docs/ARCHITECTURE.md, ADR "portable columns").
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { nodeSqliteDialect, openSqlite } from './sqlite-driver.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';
export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

// int8 (count(*), bigint columns) as numbers: Kefu's counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type DbHandle = {
  db: Db;
  engine: Engine;
  /** A human-readable location without credentials, for logs and `doctor`. */
  describe: string;
  close(): Promise<void>;
};

export type OpenDbOptions = {
  /** postgres://… ; when absent SQLite is used. */
  databaseUrl?: string;
  /** SQLite file (ignored for PostgreSQL). */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests give every app its own). */
  pgSchema?: string;
  poolSize?: number;
};

export function openDb(opts: OpenDbOptions): DbHandle {
  if (opts.databaseUrl) {
    const url = new URL(opts.databaseUrl);
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: opts.pgSchema ? `-c search_path=${opts.pgSchema}` : undefined,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      engine: 'postgres',
      describe: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}${opts.pgSchema ? ` (schema ${opts.pgSchema})` : ''}`,
      close: () => db.destroy(),
    };
  }
  const file = opts.sqliteFile ?? './data/kefu.db';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = openSqlite(file);
  const db = new Kysely<Database>({ dialect: nodeSqliteDialect(raw) });
  return { db, engine: 'sqlite', describe: `sqlite:${file}`, close: () => db.destroy() };
}

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

/** Runs `fn` in one transaction (IMMEDIATE on SQLite). Publish events only after it returns. */
export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Booleans as the 0/1 integers both engines store. */
export const flag = (b: boolean): number => (b ? 1 : 0);
