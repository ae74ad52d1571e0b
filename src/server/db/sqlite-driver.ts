/**
 * Gives Kysely's SQLite dialect Node's built-in `node:sqlite` database (no native addon).
 * node:sqlite refuses booleans and Dates as parameters, so they are converted here; every
 * transaction begins IMMEDIATE so that two processes on one file never deadlock on a lock upgrade.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

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
  constructor(stmt: StatementSync) {
    this.stmt = stmt;
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
    return this.stmt.iterate(...parameters.map(toParam)) as IterableIterator<unknown>;
  }
}

export type SqliteOptions = { busyTimeoutMs?: number };

/** Opens (creating if needed) a SQLite file with the pragmas Kefu relies on. */
export function openSqlite(file: string, opts: SqliteOptions = {}): DatabaseSync {
  const raw = new DatabaseSync(file, { timeout: opts.busyTimeoutMs ?? 5000 });
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  return raw;
}

export function nodeSqliteDialect(raw: DatabaseSync): SqliteDialect {
  const database: SqliteDatabase = {
    close: () => raw.close(),
    prepare: (sql: string) => new Statement(raw.prepare(/^begin$/i.test(sql.trim()) ? 'begin immediate' : sql)),
  };
  return new SqliteDialect({ database });
}
