import type { Kysely } from 'kysely';

/**
 * Reports (module `reports`):
 * - reports: one produced report per (workspace, type, period); its document (JSON) and the
 *   SHA-256 of that JSON, so a signed-off report can be recomputed and checked later;
 * - report_signoffs: the merchant's and the vendor's sign-off of a report, with the hash they signed;
 * - report_schedules: per workspace and type, whether and at what local time it is produced.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('produced_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('reports_period')
    .on('reports')
    .columns(['workspace_id', 'type', 'period_key'])
    .unique()
    .execute();
  await db.schema
    .createTable('report_signoffs')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_signoffs_pk', ['report_id', 'party'])
    .execute();
  await db.schema
    .createTable('report_schedules')
    .addColumn('workspace_id', 'text', ws)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('local_time', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_schedules_pk', ['workspace_id', 'type'])
    .execute();
}
