import type { Kysely } from 'kysely';

/**
 * The alerts behind an alert-opened incident (module `incidents`). Alerts are grouped as
 * Alertmanager groups them for a pager: the alerts of one rule, component, grade and set of
 * affected workspaces share one open incident (its `fingerprint` column holds the group's key), so
 * a rule firing for a hundred instances opens one incident, not a hundred. Each member alert's
 * state is kept here; the incident is mitigated when its last firing alert resolves.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_alerts')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('firing', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'fingerprint'])
    .execute();
  await db.schema.createIndex('incident_alerts_fingerprint').on('incident_alerts').columns(['fingerprint']).execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
