import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * Personal information (PIPL, issue #9):
 * - privacy_requests: every export and erasure of a shopper's data (who, when, what was counted;
 *   never the data itself);
 * - retention_rules: how many days each kind of data is kept, per workspace (no row: forever);
 * - key_rotations: the progress of re-encrypting stored values under the current key (resumable);
 * - the audit log stays append-only except for the retention purge: a DELETE passes only while the
 *   purge holds the gate: a row in audit_purge_gate that it writes and removes again in its own
 *   transaction, so no other transaction ever sees it. UPDATE stays refused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = engineOf(db) === 'postgres';
  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('privacy_requests_customer_idx')
    .on('privacy_requests')
    .columns(['workspace_id', 'customer_id', 'id'])
    .execute();
  await db.schema
    .createTable('retention_rules')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('retention_rules_pk', ['workspace_id', 'kind'])
    .execute();
  await db.schema
    .createTable('key_rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  // The gate is empty except inside the purge's own transaction (never visible to another one).
  await db.schema
    .createTable('audit_purge_gate')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .execute();
  if (pg) {
    await sql`create or replace function kefu_audit_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and exists (select 1 from audit_purge_gate) then return old; end if;
        raise exception 'audit_log is append-only';
      end $$`.execute(db);
  } else {
    await sql`drop trigger audit_log_no_delete`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      when not exists (select 1 from audit_purge_gate)
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only');
}
