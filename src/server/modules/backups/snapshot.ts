/**
 * Consistent online snapshots of the database. SQLite: the online backup API into a file (in a
 * worker thread, see sqlite-snapshot-worker.ts), never a copy of the live file. PostgreSQL: a
 * REPEATABLE READ transaction exports its snapshot; the rows are counted in it and `pg_dump
 * --snapshot` dumps exactly that state, so the counts and checksums in the manifest match the dump.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

export type Snapshot = {
  consistencyAt: string;
  tables: Record<string, number>;
  /** SHA-256 of each table's rows in primary-key order (see checksumSqliteTables / checksumPgTables). */
  checksums: Record<string, string>;
  pgExtensions?: string[];
};

export class BackupToolError extends Error {}

export function sqliteSnapshot(source: string, dest: string): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./sqlite-snapshot-worker.ts', import.meta.url), { workerData: { source, dest } });
    w.once('message', (m: ({ ok: true } & Snapshot) | { ok: false; error: string }) => {
      if (m.ok) resolve({ consistencyAt: m.consistencyAt, tables: m.tables, checksums: m.checksums });
      else reject(new Error(`SQLite snapshot failed: ${m.error}`));
    });
    w.once('error', reject);
  });
}

/** The PostgreSQL client tools, or a clear error naming what to install. */
export function requirePgTool(tool: 'pg_dump' | 'pg_restore' | 'psql'): string {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new BackupToolError(
      `${tool} was not found: install the PostgreSQL client tools of the server's major version or newer (Debian: apt-get install postgresql-client)`,
    );
  return r.stdout.trim();
}

/** libpq's environment for a URL, so that no password appears in a process list. */
export function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || process.env.PGUSER || 'postgres'),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
  };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = u.searchParams.get('sslmode');
  if (ssl) env.PGSSLMODE = ssl;
  return env;
}

export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    p.once('error', reject);
    p.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupToolError(`${cmd} failed (${code}): ${err.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
}

/** Dumps `schema` (or the whole database when it is `public`) into `dest` (custom format, uncompressed: zstd follows). */
export async function pgSnapshot(url: string, schema: string, dest: string): Promise<Snapshot> {
  requirePgTool('pg_dump');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('begin isolation level repeatable read read only');
    const consistencyAt = new Date().toISOString();
    const snap = (await c.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0].s;
    const tables = await countPgRows(c, schema);
    const checksums = await checksumPgTables(c, schema, true);
    // A dump of one schema leaves out the extensions its indexes use (pg_trgm lives in public).
    const pgExtensions = (
      await c.query<{ e: string }>(`select extname as e from pg_extension where extname <> 'plpgsql' order by extname`)
    ).rows.map((r) => r.e);
    const args = [
      '--format=custom',
      '--compress=0',
      '--no-owner',
      '--no-privileges',
      `--snapshot=${snap}`,
      '--file',
      dest,
    ];
    if (schema !== 'public') args.push(`--schema=${schema}`);
    await runTool('pg_dump', args, pgEnv(url));
    await c.query('commit');
    return { consistencyAt, tables, checksums, pgExtensions };
  } finally {
    await c.end();
  }
}

export async function countPgRows(c: pg.Client, schema: string): Promise<Record<string, number>> {
  const names = (
    await c.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = $1 order by tablename`, [
      schema,
    ])
  ).rows.map((r) => r.t);
  const out: Record<string, number> = {};
  for (const t of names) {
    const q = `select count(*)::int8 as n from "${schema.replace(/"/g, '""')}"."${t.replace(/"/g, '""')}"`;
    out[t] = Number((await c.query<{ n: string }>(q)).rows[0].n);
  }
  return out;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Rows hashed per SQL round: a group's text is built by the server, so a table of any size fits. */
const checksumGroup = 5000;

/**
 * SHA-256 per table of its rows in primary-key order (the row's text otherwise), each row in
 * PostgreSQL's text form with fixed output settings. The server hashes groups of rows; the
 * checksum is the SHA-256 of the groups' hashes, one per line. Runs in the caller's transaction
 * (`inTransaction`: the snapshot's), else in a read-only one of its own.
 */
export async function checksumPgTables(
  c: pg.Client,
  schema: string,
  inTransaction = false,
): Promise<Record<string, string>> {
  const own = !inTransaction;
  if (own) await c.query('begin isolation level repeatable read read only');
  try {
    // `set local`: the caller's session keeps its own settings after this transaction.
    for (const s of [
      "timezone = 'UTC'",
      "datestyle = 'ISO, YMD'",
      'extra_float_digits = 3',
      "intervalstyle = 'postgres'",
      "bytea_output = 'hex'",
    ])
      await c.query(`set local ${s}`);
    const names = (
      await c.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = $1 order by tablename`, [
        schema,
      ])
    ).rows.map((r) => r.t);
    const out: Record<string, string> = {};
    for (const t of names) {
      const rel = `${q(schema)}.${q(t)}`;
      const pk = (
        await c.query<{ a: string }>(
          `select a.attname as a from pg_index i
             join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            where i.indrelid = $1::regclass and i.indisprimary
            order by array_position(i.indkey::int2[], a.attnum)`,
          [rel],
        )
      ).rows.map((r) => `r.${q(r.a)}`);
      const order = pk.length ? pk.join(', ') : 'r::text';
      const groups = await c.query<{ h: string }>(
        `select encode(sha256(convert_to(string_agg(x, E'\\n' order by n), 'UTF8')), 'hex') as h
           from (select r::text as x, row_number() over (order by ${order}) as n from ${rel} r) s
          group by (n - 1) / ${checksumGroup} order by (n - 1) / ${checksumGroup}`,
      );
      out[t] = createHash('sha256')
        .update(groups.rows.map((g) => g.h + '\n').join(''))
        .digest('hex');
    }
    return out;
  } finally {
    if (own) await c.query('commit');
  }
}
