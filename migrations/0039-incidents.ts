import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * Incidents under the contract's SLA (module `incidents`):
 * - incident_contracts: one per workspace (the contract's total, term, severity table, promotion
 *   calendar, penalty rules, technical director, merchant contacts) as JSON;
 * - incidents: state, severity, source, mode, the CAS version; numbered per workspace (incident_counters);
 * - incident_clocks: one per affected workspace, with the targets copied at declaration and the
 *   next instant the worker must look (indexed);
 * - incident_timeline: append-only (triggers refuse UPDATE and DELETE on both engines);
 * - penalty_signoffs: each party's acknowledgement of a monthly statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = engineOf(db) === 'postgres';
  const ws = (c: any) => c.notNull().references('workspaces.id');

  await db.schema
    .createTable('incident_contracts')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_counters')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text')
    .addColumn('component', 'text')
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('mitigated_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('director_engaged_at', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incidents_number_uq')
    .on('incidents')
    .columns(['workspace_id', 'number'])
    .unique()
    .execute();
  await db.schema
    .createIndex('incidents_ws_state')
    .on('incidents')
    .columns(['workspace_id', 'state', 'declared_at'])
    .execute();
  await db.schema.createIndex('incidents_fingerprint').on('incidents').columns(['fingerprint', 'state']).execute();

  await db.schema
    .createTable('incident_clocks')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('workspace_id', 'text', ws)
    /** The severity table in force at declaration (promotion applied): {P1: {respond, resolve}, …}. */
    .addColumn('severity_table', 'text', (c) => c.notNull())
    .addColumn('promotion', 'text')
    .addColumn('respond_by', 'text', (c) => c.notNull())
    .addColumn('resolve_by', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('next_check_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_clocks_pk', ['incident_id', 'workspace_id'])
    .execute();
  await db.schema
    .createIndex('incident_clocks_ws')
    .on('incident_clocks')
    .columns(['workspace_id', 'incident_id'])
    .execute();
  await db.schema.createIndex('incident_clocks_due').on('incident_clocks').columns(['next_check_at']).execute();

  await db.schema
    .createTable('incident_timeline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_timeline_incident')
    .on('incident_timeline')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('penalty_signoffs')
    .addColumn('workspace_id', 'text', ws)
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('deduction_cents', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('penalty_signoffs_pk', ['workspace_id', 'month', 'party'])
    .execute();

  if (pg) {
    await sql`create or replace function kefu_incident_timeline_append_only() returns trigger language plpgsql as $$
      begin raise exception 'incident_timeline is append-only'; end $$`.execute(db);
    await sql`create trigger incident_timeline_append_only before update or delete on incident_timeline
      for each row execute function kefu_incident_timeline_append_only()`.execute(db);
  } else {
    await sql`create trigger incident_timeline_no_update before update on incident_timeline
      begin select raise(abort, 'incident_timeline is append-only'); end`.execute(db);
    await sql`create trigger incident_timeline_no_delete before delete on incident_timeline
      begin select raise(abort, 'incident_timeline is append-only'); end`.execute(db);
  }
}
