import { sql, type Kysely } from 'kysely';

/**
 * Monitoring alerts (issue #11): configured objects kept by kind and name (rule groups in
 * Prometheus's shape, silences, maintenance windows, inhibition rules), and alerts with their state
 * (pending → firing → resolved) so that a restart neither forgets a pending alert nor fires twice:
 * at most one active (pending or firing) alert per fingerprint.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitoring_config')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitoring_config_pk', ['kind', 'name'])
    .execute();
  await db.schema
    .createTable('monitoring_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('component', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('active_at', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('keep_since', 'text')
    .addColumn('notified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suppressed_by', 'text')
    .addColumn('last_eval_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitoring_alerts_active_uq')
    .on('monitoring_alerts')
    .column('fingerprint')
    .unique()
    .where(sql.ref('state'), 'in', [sql.lit('pending'), sql.lit('firing')])
    .execute();
  await db.schema
    .createIndex('monitoring_alerts_state_idx')
    .on('monitoring_alerts')
    .columns(['state', 'active_at'])
    .execute();
  await db.schema
    .createIndex('monitoring_alerts_rule_idx')
    .on('monitoring_alerts')
    .columns(['group_name', 'rule', 'state'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
