import type { Kysely } from 'kysely';

/**
 * Conversation labels (module `conversations`, issue 16): coloured labels per workspace, named
 * once per workspace, and the labels on each conversation. The inbox filters by label through
 * (workspace, label, conversation).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversation_labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('conversation_labels_name_uq', ['workspace_id', 'name'])
    .execute();
  await db.schema
    .createTable('conversation_label_links')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('label_id', 'text', (c) => c.notNull().references('conversation_labels.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_label_links_pk', ['conversation_id', 'label_id'])
    .execute();
  await db.schema
    .createIndex('conversation_label_links_label_idx')
    .on('conversation_label_links')
    .columns(['workspace_id', 'label_id', 'conversation_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
