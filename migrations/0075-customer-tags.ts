import type { Kysely } from 'kysely';

/**
 * Tags on customers (module `customers`): one row per customer and tag; the list filters by tag
 * through (workspace, tag, customer), newest customer first like the unfiltered list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_tags')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_tags_pk', ['customer_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('customer_tags_list_idx')
    .on('customer_tags')
    .columns(['workspace_id', 'tag', 'customer_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
