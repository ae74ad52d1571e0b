import type { Kysely } from 'kysely';

/**
 * Monitoring probes (issue #11): their definitions (as given, JSON) with their current state, and
 * leases that let one node of several run the probes and the rules (another takes over when the
 * holder stops renewing).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitoring_probes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('component', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('push_token', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_check_at', 'text')
    .addColumn('last_ok_at', 'text')
    .addColumn('last_push_at', 'text')
    .addColumn('last_duration_ms', 'double precision')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('cert_expires_at', 'text')
    .addColumn('status_changed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('monitoring_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
