import type { Kysely } from 'kysely';

/** Post-incident reviews (module `incidents`): impact, root cause, action items with owners and due dates. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_reviews')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('root_cause_category', 'text', (c) => c.notNull())
    .addColumn('root_cause', 'text', (c) => c.notNull())
    .addColumn('action_items', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_reviews_ws').on('incident_reviews').columns(['workspace_id']).execute();
}
