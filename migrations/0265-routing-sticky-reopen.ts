import type { Kysely } from 'kysely';

/**
 * Sticky assignment for a shopper whose next message reopens their resolved conversation: the
 * reopen puts the same routing item back in the queue (agent and done time cleared), so the item
 * keeps who served it last and when (module `routing`, `itemView`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('routing_items').addColumn('last_agent_id', 'text').execute();
  await db.schema.alterTable('routing_items').addColumn('last_done_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
