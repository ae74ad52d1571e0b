/**
 * The backup benchmark's data: an audit log filled with realistic entries (what grows without
 * bound), generated in one INSERT … SELECT in one transaction, and 1 % of its rows changed in place
 * (the newest, or scattered). SQLite straight into the data folder's file; PostgreSQL into the
 * installation's database (a fresh one made from KEFU_TEST_DATABASE_URL).
 */
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

export type BenchDb = {
  /** Bytes the data takes on disk (the SQLite file, or pg_database_size). */
  size(): Promise<number>;
  fill(rows: number): Promise<void>;
  change(how: 'newest' | 'scattered', rows: number): Promise<void>;
  close(): Promise<void>;
};

const note = `'顾客反馈订单 ' || (100000 + n) || ' 物流三天未更新，已联系快递公司核实，预计明日送达。'`;

export function sqliteDb(file: string): BenchDb {
  return {
    async size() {
      const { statSync } = await import('node:fs');
      return statSync(file).size;
    },
    async fill(rows) {
      const db = new DatabaseSync(file);
      db.exec('pragma journal_mode = wal; pragma synchronous = normal');
      const ws = (db.prepare('select id from workspaces limit 1').get() as { id: string }).id;
      db.exec('begin');
      db.prepare(
        `with recursive s(n) as (select 0 union all select n + 1 from s where n < ? - 1)
         insert into audit_log (id, workspace_id, actor_type, actor_id, actor_name, action, object_type, object_id, ip, data, created_at)
         select printf('aud_%012d', n), ?, 'user', 'usr_bench', '客服小王', 'ticket.updated', 'ticket', 'tkt_' || n, '10.0.0.8',
           json_object('changes', json_object('status', json_array('open', 'pending'), 'priority', json_array('normal', 'high')),
             'note', ${note} || hex(randomblob(18))),
           strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + n, 'unixepoch')
         from s`,
      ).run(rows, ws);
      db.exec('commit');
      db.exec('pragma wal_checkpoint(truncate)');
      db.close();
    },
    // Only the generated rows (the chat traffic writes audit entries of its own meanwhile).
    // A new 36-character note tail: same length, so pages keep their layout as an UPDATE of a status does.
    // The audit log is append-only by a trigger; this synthetic copy lifts it to stand in for a table that is updated.
    async change(how, rows) {
      const db = new DatabaseSync(file, { timeout: 30_000 });
      db.exec('drop trigger if exists audit_log_no_update');
      const tail = `data = substr(data, 1, length(data) - 38) || hex(randomblob(18)) || '"}'`;
      db.exec('begin');
      if (how === 'newest')
        db.prepare(
          `update audit_log set ${tail} where id in (select id from audit_log where actor_id = 'usr_bench' order by id desc limit ?)`,
        ).run(Math.round(rows / 100));
      else db.exec(`update audit_log set ${tail} where rowid % 100 = 0 and actor_id = 'usr_bench'`);
      db.exec('commit');
      db.close();
    },
    async close() {},
  };
}

/** A fresh database on the server KEFU_TEST_DATABASE_URL names; `drop()` removes it. */
export async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.KEFU_TEST_DATABASE_URL;
  if (!base) throw new Error('--pg needs KEFU_TEST_DATABASE_URL (a PostgreSQL server where a database may be created)');
  const name = `kefu_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export function postgresDb(url: string): BenchDb {
  // A connection per step: one held open through the backup could be cut meanwhile (a shared server).
  const q = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    async size() {
      return Number((await q('select pg_database_size(current_database()) as n')).rows[0].n);
    },
    async fill(rows) {
      const ws = (await q('select id from workspaces limit 1')).rows[0].id as string;
      await q(
        `insert into audit_log (id, workspace_id, actor_type, actor_id, actor_name, action, object_type, object_id, ip, data, created_at)
         select 'aud_' || lpad(n::text, 12, '0'), $2, 'user', 'usr_bench', '客服小王', 'ticket.updated', 'ticket', 'tkt_' || n, '10.0.0.8',
           json_build_object('changes', json_build_object('status', json_build_array('open', 'pending'), 'priority', json_build_array('normal', 'high')),
             'note', ${note} || substr(md5(random()::text) || md5(random()::text), 1, 36))::text,
           to_char(to_timestamp(1767225600 + n) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         from generate_series(0, $1::int - 1) n`,
        [rows, ws],
      );
      await q('vacuum analyze audit_log');
    },
    async change(how, rows) {
      await q('drop trigger if exists audit_log_append_only on audit_log');
      const tail = `data = substr(data, 1, length(data) - 38) || substr(md5(random()::text) || md5(random()::text), 1, 36) || '"}'`;
      if (how === 'newest')
        await q(
          `update audit_log set ${tail} where id in (select id from audit_log where actor_id = 'usr_bench' order by id desc limit $1)`,
          [Math.round(rows / 100)],
        );
      else await q(`update audit_log set ${tail} where right(id, 2) = '00' and actor_id = 'usr_bench'`);
    },
    async close() {},
  };
}
