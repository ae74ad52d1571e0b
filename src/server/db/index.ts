/**
 * The data layer: one Kysely instance over SQLite (embedded default) or PostgreSQL.
 * Times are stored as ISO-8601 UTC text and flags as 0/1 integers in both engines, so rows
 * read the same whichever engine holds them (see docs/ARCHITECTURE.md, ADR "portable columns").
 */
import { dirname } from 'node:path';
import { Kysely, sql, type LogEvent, type Transaction } from 'kysely';
import pg from 'pg';
import { ensurePrivateDir, ensurePrivateFile } from '../lib/data-dir.ts';
import { OwnSchemaPostgresDialect } from './pg-introspector.ts';
import { nodeSqliteDialect, openSqlite } from './sqlite-driver.ts';

export type Engine = 'sqlite' | 'postgres';
/**
 * The process-wide handle, typed without tables on purpose: a module reaches only its own tables
 * through the typed view its `schema.ts` makes with `tablesOf` (table ownership, checked by the
 * compiler; see docs/ARCHITECTURE.md). Infrastructure (migrations, tests) uses `Kysely<any>`.
 */
export type Db = Kysely<NoTables>;
export type Tx = Transaction<NoTables>;
/** Either handle: a module function that may run inside a unit of work takes this. */
export type Executor = Db | Tx;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "no tables" is the point
export type NoTables = {};

/**
 * The typed view of an executor for a module's own tables. Called only in a module's schema.ts
 * (a lint rule enforces it), with that module's table types.
 */
export function tablesOf<T>(e: Executor): Kysely<T> {
  return e as unknown as Kysely<T>;
}

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
  /** PostgreSQL settings for every session of this pool (`-c name=value`), e.g. a background reader's limits. */
  pgSettings?: Record<string, string | number>;
  /** Every statement's SQL and duration, failed ones too (the ops recorder's query timings). */
  onQuery?: (sql: string, ms: number) => void;
  /** Refuse every write (SQLite opened read-only; PostgreSQL sessions default to read-only transactions). */
  readOnly?: boolean;
  /** PostgreSQL: an idle pooled connection the server ended (the pool replaces it; nothing else to do). */
  onIdleError?: (err: Error) => void;
};

/** Kysely's log hook for `onQuery` (Kysely times each statement only when a hook is set). */
const queryLog = (opts: OpenDbOptions) =>
  opts.onQuery ? { log: (e: LogEvent) => opts.onQuery!(e.query.sql, e.queryDurationMillis) } : {};

const pgOptions = (opts: OpenDbOptions): string =>
  Object.entries({
    ...(opts.pgSchema ? { search_path: opts.pgSchema } : {}),
    ...(opts.readOnly ? { default_transaction_read_only: 'on' } : {}),
    ...opts.pgSettings,
  })
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');

export function openDb(opts: OpenDbOptions): DbHandle {
  if (opts.databaseUrl) {
    const url = new URL(opts.databaseUrl);
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: pgOptions(opts) || undefined,
    });
    // An idle connection ended by the server (a restart, a failover, pg_terminate_backend) is an
    // 'error' on the pool: without a listener Node ends the process. The pool drops that client and
    // the next query opens another; a query in flight gets its own error as usual.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const db = new Kysely<NoTables>({ dialect: new OwnSchemaPostgresDialect({ pool }), ...queryLog(opts) });
    return {
      db,
      engine: 'postgres',
      describe: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}${opts.pgSchema ? ` (schema ${opts.pgSchema})` : ''}`,
      close: () => db.destroy(),
    };
  }
  const file = opts.sqliteFile ?? './data/kefu.db';
  if (file !== ':memory:' && !opts.readOnly) {
    // Owner-only from the first byte: SQLite gives the -wal and -shm files the database file's mode.
    ensurePrivateDir(dirname(file));
    ensurePrivateFile(file);
  }
  const raw = openSqlite(file, { readOnly: opts.readOnly });
  const db = new Kysely<NoTables>({ dialect: nodeSqliteDialect(raw), ...queryLog(opts) });
  return { db, engine: 'sqlite', describe: `sqlite:${file}`, close: () => db.destroy() };
}

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

/**
 * Runs `fn` in one transaction (IMMEDIATE on SQLite), or inside the transaction `e` already is.
 * Domain code uses `unitOfWork` (context.ts), which also carries the events written meanwhile.
 */
export function inTransaction<T>(e: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return e.isTransaction ? fn(e as Tx) : e.transaction().execute(fn);
}

export async function ping(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * Keeps the query planner's statistics current. SQLite never gathers them by itself: without them
 * it may walk a whole table through the wrong index (e.g. `workspace_id = ? AND id IN (…)` through
 * a workspace index). `PRAGMA optimize` analyses the tables that changed enough since (sampling
 * `analysis_limit` rows per index, so it takes milliseconds at any size); run after migrations and
 * hourly. PostgreSQL's autovacuum analyses on its own.
 */
export async function optimize(db: Db): Promise<void> {
  if (engineOf(db) === 'sqlite') await sql`PRAGMA optimize = 0x10002`.execute(db);
}

/** Booleans as the 0/1 integers both engines store. */
export const flag = (b: boolean): number => (b ? 1 : 0);
