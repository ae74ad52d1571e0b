import type { Kysely } from 'kysely';

/**
 * Agents' corrections as training: a question the bot did not answer (or answered wrongly) that
 * an agent tied to the knowledge entry that answers it — by linking it from the unanswered
 * questions list, or by replying in the handed-off conversation with the entry's answer. The next
 * index build learns from these (question → entry) pairs as it does from shoppers' ratings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bot_turns').addColumn('corrected_entry_id', 'text').execute();
  await db.schema.alterTable('bot_turns').addColumn('corrected_by', 'text').execute(); // a user id
  await db.schema.alterTable('bot_turns').addColumn('correction', 'text').execute(); // link | agent_reply
  await db.schema.alterTable('bot_turns').addColumn('corrected_at', 'text').execute();
  await db.schema
    .createIndex('bot_turns_corrected_idx')
    .on('bot_turns')
    .columns(['workspace_id', 'corrected_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
