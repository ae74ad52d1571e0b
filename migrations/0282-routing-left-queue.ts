import type { Kysely } from 'kysely';

/**
 * A waiting chat can leave routing's queue without an agent (module `routing`, `leave.ts`): the
 * shopper left a message or asked for a callback after the maximum wait (→ a ticket), or closed
 * the widget and did not come back within the grace period (abandoned; the war room's service
 * level counts it). `left_as` says which, `left_at` when; `shopper_seen_at` is the last time the
 * shopper came back to the waiting conversation (a reconnect within the grace keeps their place).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('routing_items').addColumn('left_as', 'text').execute();
  await db.schema.alterTable('routing_items').addColumn('left_at', 'text').execute();
  await db.schema.alterTable('routing_items').addColumn('shopper_seen_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
