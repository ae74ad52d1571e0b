import type { Kysely } from 'kysely';

/**
 * The order number the shopper gave in the inbox's pre-chat form (widget session start), kept with
 * the rest of what agents see about the shopper (shopper_context, migration 0111). Replaced by the
 * next one given; a session started without one leaves it; erased with the shopper's context.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shopper_context').addColumn('order_no', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
