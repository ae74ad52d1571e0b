/**
 * Restoring a backup into a new place: a data folder (SQLite database, attachments, secret key)
 * and, for a PostgreSQL backup, a database. Files are written into a staging folder beside the
 * destination and checked (size, SHA-256, SQLite's integrity check, row counts) before one rename
 * makes them the destination, so a failed restore leaves nothing half written there.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { finished } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { BackupIntegrityError } from './crypto.ts';
import type { Manifest, ManifestFile } from './manifest.ts';
import type { Repo } from './repo.ts';
import { checksumPgTables, countPgRows, pgEnv, requirePgTool, runTool } from './snapshot.ts';

export type RestoreDestination = {
  /** The data folder to create (SQLite database, attachments, secret key). */
  folder?: string;
  /** PostgreSQL backups: the database to restore into (empty, or `force`). */
  databaseUrl?: string;
};

export type RestoreResult = {
  id: string;
  durationMs: number;
  bytes: number;
  tables: Record<string, number>;
  /** Row checksums per table of the restored database (when asked for: drills compare them). */
  checksums?: Record<string, string>;
  folder?: string;
  moved?: string;
};

export class RestoreError extends Error {}

/** Restored row counts differ from the manifest's; carries what was restored. */
export class CountMismatchError extends BackupIntegrityError {
  readonly tables: Record<string, number>;
  constructor(message: string, tables: Record<string, number>) {
    super(message);
    this.tables = tables;
  }
}

async function writeFile(repo: Repo, f: ManifestFile, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const out = createWriteStream(path, { mode: 0o600, flags: 'wx' });
  const hash = createHash('sha256');
  let size = 0;
  for (const id of f.chunks) {
    const c = await repo.getChunk(id);
    hash.update(c);
    size += c.length;
    if (!out.write(c)) await new Promise((r) => out.once('drain', r));
  }
  out.end();
  await finished(out);
  if (size !== f.size || hash.digest('hex') !== f.sha256)
    throw new BackupIntegrityError(`${f.path}: restored content differs from the backup`);
}

export function compareCounts(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const [t, n] of Object.entries(expected))
    if (actual[t] !== n) problems.push(`${t}: ${actual[t] ?? 'missing'} rows, the backup recorded ${n}`);
  return problems;
}

async function isEmptyDir(dir: string): Promise<boolean | null> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function restoreBackup(
  repo: Repo,
  m: Manifest,
  dest: RestoreDestination,
  opts: { force?: boolean; now: () => Date; checksums?: boolean },
): Promise<RestoreResult> {
  const started = performance.now();
  if (m.engine === 'postgres' && !dest.databaseUrl)
    throw new RestoreError(`${m.id} is a PostgreSQL backup: give --to a postgres:// URL`);
  if (m.engine === 'sqlite' && !dest.folder) throw new RestoreError(`${m.id} is a SQLite backup: give --to a folder`);
  // The key and attachments of a PostgreSQL backup need a folder: dropping them would leave data that cannot be decrypted.
  if (m.engine === 'postgres' && !dest.folder && m.files.some((f) => f.kind !== 'pgdump'))
    throw new RestoreError(
      `${m.id} holds files besides the database (secret key, attachments): give --files-to FOLDER`,
    );
  const folder = dest.folder ? resolve(dest.folder) : undefined;
  if (folder && (await isEmptyDir(folder)) === false && !opts.force)
    throw new RestoreError(
      existsSync(join(folder, 'kefu.db'))
        ? `${folder} is not empty (it holds Kefu data): restore into a new folder, or add --force to stop its writes, back it up and replace it`
        : `${folder} is not empty: restore into a new folder, or add --force to replace it`,
    );
  if (dest.databaseUrl) requirePgTool('pg_restore');

  const staging = join(folder ? dirname(folder) : tmpdir(), `.kefu-restore-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  let tables: Record<string, number>;
  let checksums: Record<string, string> | undefined;
  // A new database (no --force) that pg_restore has filled: its tables are dropped again on a failure.
  let pgFilled = false;
  try {
    for (const f of m.files) await writeFile(repo, f, join(staging, f.kind === 'pgdump' ? '.database.pgdump' : f.path));
    if (m.engine === 'sqlite') {
      const checked = await checkSqliteFile(join(staging, 'kefu.db'), !!opts.checksums);
      if (checked.problems.length)
        throw new BackupIntegrityError(`integrity check of the restored database: ${checked.problems.join('; ')}`);
      tables = checked.tables!;
      checksums = checked.checksums;
    } else {
      ({ tables, checksums } = await restorePg(join(staging, '.database.pgdump'), dest.databaseUrl!, m, {
        force: !!opts.force,
        checksums: !!opts.checksums,
        onRestored: () => void (pgFilled = !opts.force),
      }));
      await rm(join(staging, '.database.pgdump'), { force: true });
    }
    const problems = compareCounts(m.tables, tables);
    if (problems.length) throw new CountMismatchError(`row counts differ: ${problems.slice(0, 5).join('; ')}`, tables);
    // A backup taken while writes were stopped (the safety backup of a forced restore) carries the
    // stop: the restored data starts with writes allowed.
    if (m.engine === 'sqlite') clearSqliteWriteStop(join(staging, 'kefu.db'));
    else await clearPgWriteStop(dest.databaseUrl!, m.pgSchema ?? 'public');
    let moved: string | undefined;
    if (folder) {
      if ((await isEmptyDir(folder)) === false) {
        moved = `${folder}.before-restore-${opts.now().toISOString().replace(/[:.]/g, '-')}`;
        await rename(folder, moved);
      } else await rm(folder, { recursive: true, force: true });
      await rename(staging, folder);
    }
    return {
      id: m.id,
      durationMs: Math.round(performance.now() - started),
      bytes: m.bytes,
      tables,
      ...(checksums ? { checksums } : {}),
      ...(folder ? { folder } : {}),
      ...(moved ? { moved } : {}),
    };
  } catch (err) {
    if (pgFilled) await dropRestoredTables(dest.databaseUrl!, m.pgSchema ?? 'public').catch(() => undefined);
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

type SqliteCheck = { problems: string[]; tables?: Record<string, number>; checksums?: Record<string, string> };

/** A restored SQLite file's integrity check, row counts and row checksums, in a worker thread (sqlite-check-worker.ts). */
export function checkSqliteFile(file: string, checksums: boolean): Promise<SqliteCheck> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./sqlite-check-worker.ts', import.meta.url), { workerData: { file, checksums } });
    w.once('message', (m: ({ ok: true } & SqliteCheck) | { ok: false; error: string }) => {
      if (m.ok) resolve({ problems: m.problems, tables: m.tables, checksums: m.checksums });
      else reject(new BackupIntegrityError(`integrity check of the restored database: ${m.error}`));
    });
    w.once('error', reject);
  });
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Undoes a restore into a new database that failed its checks: the schema had no tables before it. */
async function dropRestoredTables(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t = await c.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = $1`, [schema]);
    if (t.rowCount)
      await c.query(`drop table if exists ${t.rows.map((r) => `${ident(schema)}.${ident(r.t)}`).join(', ')} cascade`);
  } finally {
    await c.end();
  }
}

function clearSqliteWriteStop(file: string): void {
  const db = new DatabaseSync(file);
  try {
    if (db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'backup_write_stop'`).get())
      db.exec('delete from backup_write_stop');
  } finally {
    db.close();
  }
}

async function clearPgWriteStop(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t = await c.query(`select 1 from pg_tables where schemaname = $1 and tablename = 'backup_write_stop'`, [
      schema,
    ]);
    if (t.rowCount) await c.query(`delete from ${ident(schema)}.backup_write_stop`);
  } finally {
    await c.end();
  }
}

async function restorePg(
  dump: string,
  url: string,
  m: Manifest,
  { force, checksums, onRestored }: { force: boolean; checksums: boolean; onRestored: () => void },
): Promise<{ tables: Record<string, number>; checksums?: Record<string, string> }> {
  const schema = m.pgSchema ?? 'public';
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const existing = await c.query(`select 1 from pg_tables where schemaname = $1 limit 1`, [schema]);
    if (existing.rowCount && !force)
      throw new RestoreError(
        `the database already has tables in schema ${schema}: restore into a new database, or add --force to stop its writes, back it up and replace it`,
      );
    if (existing.rowCount) await c.query(`drop schema ${ident(schema)} cascade`);
    if (schema === 'public') await c.query('create schema if not exists public');
    else
      for (const e of m.pgExtensions ?? []) await c.query(`create extension if not exists ${ident(e)} schema public`);
    await runTool(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${new URL(url).pathname.slice(1)}`,
        dump,
      ],
      pgEnv(url),
    );
    onRestored();
    // A dump of one schema (not `public`): connections to this database find its tables by default.
    if (schema !== 'public') {
      const dbName = (await c.query<{ d: string }>('select current_database() as d')).rows[0].d;
      await c.query(`alter database ${ident(dbName)} set search_path = ${ident(schema)}, public`);
    }
    const tables = await countPgRows(c, schema);
    return { tables, ...(checksums ? { checksums: await checksumPgTables(c, schema) } : {}) };
  } finally {
    await c.end();
  }
}
