import type { Kysely } from 'kysely';

/**
 * The bot: its settings and scripts per inbox, its state per conversation (answering or handed
 * off, misses in a row, the slot it waits for), and one row per shopper message it handled (the
 * claim that makes one node answer it, the unanswered-questions list, ratings, the figures).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('bot_settings')
    .addColumn('inbox_id', 'text', (c) => c.primaryKey().references('inboxes.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('settings', 'text', (c) => c.notNull()) // JSON: enabled, mode, scripts per language
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bot_sessions')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('state', 'text', (c) => c.notNull()) // bot | handed_off
    .addColumn('misses', 'integer', (c) => c.notNull())
    .addColumn('pending', 'text') // the intent waiting for an order number
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bot_turns')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('intent', 'text')
    .addColumn('entry_id', 'text')
    .addColumn('confidence', 'real')
    .addColumn('outcome', 'text', (c) => c.notNull()) // pending | answered | suggested | handed_off | order | script | silent | failed
    .addColumn('reply_id', 'text') // the bot's answer message (for ratings)
    .addColumn('rating', 'integer') // 1 useful, -1 not useful
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('bot_turns_ws_idx')
    .on('bot_turns')
    .columns(['workspace_id', 'outcome', 'created_at'])
    .execute();
  await db.schema.createIndex('bot_turns_reply_idx').on('bot_turns').columns(['reply_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
