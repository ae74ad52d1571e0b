import type { Kysely } from 'kysely';

/**
 * Saved inbox views (module `conversations`, issue 16): a named set of inbox filters (assignee
 * view, status, inbox, labels) as JSON, a person's own (`user_id`) or shared with the workspace
 * (`user_id` null), like `ticket_views`. Listed per workspace by name.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbox_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inbox_views_workspace_idx')
    .on('inbox_views')
    .columns(['workspace_id', 'name'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
