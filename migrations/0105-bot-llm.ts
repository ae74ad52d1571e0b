import type { Kysely } from 'kysely';

/**
 * The bot's optional LLM, per workspace: an OpenAI-compatible endpoint (base URL, model), its API
 * key encrypted, and the options (on/off, time limit, whether it may phrase answers) as JSON.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bot_llm_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('api_key_enc', 'text')
    .addColumn('options', 'text', (c) => c.notNull()) // JSON: enabled, timeoutMs, phrase
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
