import type { Kysely } from 'kysely';

/** The knowledge base (知识库): entries with their similar questions, and the workspace's dictionary and synonyms. */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('knowledge_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('similar', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('buttons', 'text', (c) => c.notNull()) // JSON string[]: quick replies
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('products', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('order_states', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('channels', 'text', (c) => c.notNull()) // JSON string[]; empty: every channel
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_entries_ws_idx')
    .on('knowledge_entries')
    .columns(['workspace_id', 'id'])
    .execute();
  await db.schema
    .createTable('knowledge_terms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('synonyms', 'text', (c) => c.notNull()) // JSON string[]; empty: a dictionary word only
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_terms_uq')
    .on('knowledge_terms')
    .columns(['workspace_id', 'term'])
    .unique()
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
