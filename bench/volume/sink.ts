/**
 * Bulk writers for the volume generator, straight into the tables: SQLite through node:sqlite
 * (Kefu's own `openSqlite`, so the full-text triggers' SQL function is there) in large
 * transactions; PostgreSQL with one `INSERT … SELECT FROM unnest(arrays)` per table and chunk,
 * with the GIN search indexes dropped during the load and built again after (as a bulk import
 * would; their definitions are read back from the database, so they are exactly the migration's).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import pg from 'pg';
import { openSqlite } from '../../src/server/db/sqlite-driver.ts';

export type Row = Record<string, string | number | null>;
type ColType = 'text' | 'integer' | 'bigint';

/** Tables in the order their rows must arrive (foreign keys), with each column's PostgreSQL type. */
export const tables: Record<string, Record<string, ColType>> = {
  customers: cols(
    'id workspace_id name_enc phone_enc email_enc name_idx phone_idx email_idx external_id notes created_at updated_at last_seen_at tier',
  ),
  customer_identities: cols('id workspace_id customer_id channel identifier created_at'),
  conversations: cols(
    'id workspace_id inbox_id customer_id status assignee_id last_seq:integer last_message_at last_message_preview agent_last_read_seq:integer customer_last_read_seq:integer snoozed_until ticket_id created_at updated_at',
  ),
  messages: cols(
    'id workspace_id conversation_id seq:integer client_id sender_type sender_id sender_name kind body attachments created_at',
  ),
  tickets: cols(
    'id workspace_id number:integer subject status priority type group_id assignee_id customer_id conversation_id channel order_no tags fields version:integer merged_into_id sla sla_state next_check_at next_deadline_at first_response_at solved_at closed_at created_by report_day created_at updated_at',
  ),
  ticket_events: cols('id workspace_id ticket_id type actor_type actor_id actor_name body data created_at'),
  ticket_search: cols('ticket_id workspace_id body'),
  ticket_tags: cols('ticket_id workspace_id tag'),
  audit_log: cols('id workspace_id actor_type actor_id actor_name action object_type object_id ip data created_at'),
  notifications: cols('id workspace_id user_id type data link read_at created_at'),
};

function cols(spec: string): Record<string, ColType> {
  return Object.fromEntries(
    spec
      .split(/\s+/)
      .map((c) => c.split(':') as [string, ColType?])
      .map(([n, t]) => [n, t ?? 'text']),
  );
}

export type Sink = {
  add(table: string, row: Row): Promise<void>;
  finish(): Promise<void>;
  rows: Record<string, number>;
};

const batch = 20_000;

function buffered(flushTable: (table: string, rows: Row[]) => Promise<void>): Sink {
  const buffers = new Map<string, Row[]>(Object.keys(tables).map((t) => [t, []]));
  const rows: Record<string, number> = {};
  let pending = 0;
  const flushAll = async () => {
    for (const [t, list] of buffers) {
      if (!list.length) continue;
      await flushTable(t, list);
      rows[t] = (rows[t] ?? 0) + list.length;
      buffers.set(t, []);
    }
    pending = 0;
  };
  return {
    rows,
    async add(table, row) {
      buffers.get(table)!.push(row);
      if (++pending >= batch) await flushAll();
    },
    finish: flushAll,
  };
}

export function sqliteSink(file: string): Sink & { db: DatabaseSync; close(): void } {
  const db = openSqlite(file);
  // A bulk load: no fsync, a page cache large enough for the indexes, foreign keys trusted.
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -400000');
  db.exec('PRAGMA foreign_keys = OFF');
  const stmts = new Map<string, StatementSync>();
  const stmt = (t: string) => {
    let s = stmts.get(t);
    if (!s) {
      const names = Object.keys(tables[t]);
      s = db.prepare(`insert into ${t} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`);
      stmts.set(t, s);
    }
    return s;
  };
  const sink = buffered(async (t, rows) => {
    const names = Object.keys(tables[t]);
    const s = stmt(t);
    db.exec('BEGIN');
    for (const r of rows) s.run(...names.map((n) => r[n] ?? null));
    db.exec('COMMIT');
  });
  return { ...sink, db, close: () => db.close() };
}

export async function postgresSink(url: string): Promise<Sink & { client: pg.Client; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`set maintenance_work_mem = '512MB'`);
  // The search indexes are built once after the load (a GIN build is much faster than inserts into it).
  const gin = (
    await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = current_schema() and indexdef ilike '%using gin%'`,
    )
  ).rows;
  for (const i of gin) await client.query(`drop index ${i.indexname}`);
  const sink = buffered(async (t, rows) => {
    const entries = Object.entries(tables[t]);
    const arrays = entries.map(([n]) => rows.map((r) => r[n] ?? null));
    await client.query(
      `insert into ${t} (${entries.map(([n]) => n).join(', ')}) select * from unnest(${entries
        .map(([, type], i) => `$${i + 1}::${type}[]`)
        .join(', ')})`,
      arrays,
    );
  });
  return {
    ...sink,
    client,
    async finish() {
      await sink.finish();
      for (const i of gin) await client.query(i.indexdef);
      await client.query('analyze');
    },
    close: () => client.end(),
  };
}
