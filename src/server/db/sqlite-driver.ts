/**
 * Gives Kysely's SQLite dialect Node's built-in `node:sqlite` database (no native addon).
 * node:sqlite refuses booleans and Dates as parameters, so they are converted here; every
 * transaction begins IMMEDIATE so that two processes on one file never deadlock on a lock upgrade.
 *
 * node:sqlite is synchronous, so SQLite's own busy timeout would block the event loop while it
 * waits for another connection's write lock; when that connection is in this same process it can
 * then never finish, and the wait always ends in SQLITE_BUSY. So the built-in busy timeout is
 * only used while opening the file, and a busy statement is retried here, asynchronously.
 * Migrations run in one (IMMEDIATE) transaction: SQLite has transactional DDL, and that
 * transaction is the lock that keeps two nodes from applying the same migration.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  SqliteAdapter,
  SqliteDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type SqliteDatabase,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';
import { registerSqliteFunctions } from './sqlite-functions.ts';

type Param = null | number | bigint | string | Uint8Array;

function toParam(v: unknown): Param {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || v instanceof Uint8Array) return v;
  return JSON.stringify(v);
}

class Statement implements SqliteStatement {
  readonly reader: boolean;
  private readonly stmt: StatementSync;
  private readonly fresh: () => StatementSync;
  /** `fresh` prepares a statement of its own (for iteration, which may interleave with other uses). */
  constructor(stmt: StatementSync, fresh: () => StatementSync) {
    this.stmt = stmt;
    this.fresh = fresh;
    this.reader = stmt.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.stmt.all(...parameters.map(toParam));
  }
  run(parameters: ReadonlyArray<unknown>) {
    const r = this.stmt.run(...parameters.map(toParam));
    return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.fresh().iterate(...parameters.map(toParam)) as IterableIterator<unknown>;
  }
}

/** Prepared statements kept per connection, by SQL text (least recently used dropped past this). */
const statementCacheSize = 500;

/**
 * Kysely prepares every query afresh, and preparing costs about as much as running a simple query
 * (~9 % of the routing arrival path's CPU; a primary-key select through Kysely measured ~20 µs of
 * CPU with this cache, ~38 without). `all` and `run` finish before they return (node:sqlite is
 * synchronous), so one prepared statement per SQL text can serve every caller; iteration gets a
 * statement of its own. SQLite re-prepares a cached statement by itself after a schema change.
 */
function statementCache(raw: DatabaseSync): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (text) => {
    const sql = /^begin$/i.test(text.trim()) ? 'begin immediate' : text;
    let st = cache.get(sql);
    if (st) {
      cache.delete(sql); // re-inserted: most recently used last
    } else {
      st = new Statement(raw.prepare(sql), () => raw.prepare(sql));
      if (cache.size >= statementCacheSize) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, st);
    return st;
  };
}

export type SqliteOptions = { busyTimeoutMs?: number };

const defaultBusyTimeoutMs = 5000;

/**
 * The WAL size (pages) at which the main connection checkpoints by itself (inside the commit that
 * crosses it, on the event loop) while the chat writer's thread runs: that thread checkpoints every
 * 500 messages, when idle and every few seconds (`writerCheckpoints` in
 * modules/conversations/sqlite-commit.ts), so this is only a backstop. At SQLite's default (1,000)
 * every commit of the main connection would checkpoint while the writer lets the WAL grow between
 * its checkpoints. Without the writer (no chat message since the start: a tickets-only day) the
 * main connection keeps the default, so its checkpoints stay small.
 */
export const mainCheckpointPages = 20_000;

/** Opens (creating if needed) a SQLite file with the pragmas Kefu relies on. */
export function openSqlite(file: string, opts: SqliteOptions & { readOnly?: boolean } = {}): DatabaseSync {
  const raw = new DatabaseSync(file, {
    timeout: opts.busyTimeoutMs ?? defaultBusyTimeoutMs,
    readOnly: !!opts.readOnly,
  });
  // Read-only: the file is left as it is (its journal mode too); SQLite refuses every write.
  if (!opts.readOnly) raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  // ANALYZE (run by `optimize`) samples this many rows per index: statistics good enough for the
  // planner in milliseconds, whatever the size of the database.
  raw.exec('PRAGMA analysis_limit = 1000');
  registerSqliteFunctions(raw);
  // From here on a busy statement fails at once and is retried without blocking (see above).
  raw.exec('PRAGMA busy_timeout = 0');
  return raw;
}

const isBusy = (err: unknown): boolean => {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === 5; // SQLITE_BUSY and its extended codes
};

/**
 * Runs a statement, retrying it while the database is busy. A statement that fails busy outside
 * a transaction, or a BEGIN / COMMIT, had no effect and may be retried; inside a transaction
 * (which holds the write lock, being IMMEDIATE) anything else is left to fail.
 */
async function withBusyRetry<T>(
  raw: DatabaseSync,
  sqlText: string,
  timeoutMs: number,
  run: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const retriable = isBusy(err) && (!raw.isTransaction || /^\s*(begin|commit|end)\b/i.test(sqlText));
      if (!retriable || Date.now() >= deadline) throw err;
      await sleep(Math.min(50, 1 + attempt * 2) * (0.5 + Math.random()));
    }
  }
}

class BusyRetryDriver implements Driver {
  private readonly inner: Driver;
  private readonly raw: DatabaseSync;
  private readonly timeoutMs: number;
  private readonly wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  constructor(inner: Driver, raw: DatabaseSync, timeoutMs: number) {
    this.inner = inner;
    this.raw = raw;
    this.timeoutMs = timeoutMs;
  }
  init() {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.inner.acquireConnection();
    let w = this.wrapped.get(conn);
    if (!w) {
      w = {
        executeQuery: <R>(q: CompiledQuery): Promise<QueryResult<R>> =>
          withBusyRetry(this.raw, q.sql, this.timeoutMs, async () => conn.executeQuery<R>(q)),
        streamQuery: <R>(q: CompiledQuery, chunkSize?: number) => conn.streamQuery<R>(q, chunkSize),
      };
      this.wrapped.set(conn, w);
    }
    return w;
  }
  beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(conn, settings);
  }
  commitTransaction(conn: DatabaseConnection) {
    return this.inner.commitTransaction(conn);
  }
  rollbackTransaction(conn: DatabaseConnection) {
    return this.inner.rollbackTransaction(conn);
  }
  async savepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.inner.savepoint!(conn, name, compile);
  }
  async rollbackToSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.inner.rollbackToSavepoint!(conn, name, compile);
  }
  async releaseSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.inner.releaseSavepoint!(conn, name, compile);
  }
  releaseConnection(conn: DatabaseConnection) {
    return this.inner.releaseConnection(conn);
  }
  destroy() {
    return this.inner.destroy();
  }
}

/** SQLite has transactional DDL: Kysely's migrator then runs all pending migrations in one transaction. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NodeSqliteDialect extends SqliteDialect {
  private readonly raw: DatabaseSync;
  private readonly timeoutMs: number;
  constructor(raw: DatabaseSync, database: SqliteDatabase, timeoutMs: number) {
    super({ database });
    this.raw = raw;
    this.timeoutMs = timeoutMs;
  }
  override createDriver(): Driver {
    return new BusyRetryDriver(super.createDriver(), this.raw, this.timeoutMs);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export function nodeSqliteDialect(raw: DatabaseSync, opts: SqliteOptions = {}): SqliteDialect {
  const database: SqliteDatabase = { close: () => raw.close(), prepare: statementCache(raw) };
  return new NodeSqliteDialect(raw, database, opts.busyTimeoutMs ?? defaultBusyTimeoutMs);
}
