import type { Kysely } from 'kysely';

/**
 * When a customer's personal data was erased (PIPL; module `privacy`): the row stays (tickets,
 * conversations and reports point at it) and from then on no widget session names it — a token
 * issued before the erasure stops working on every route and socket (it was valid for its 30 days).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('erased_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
