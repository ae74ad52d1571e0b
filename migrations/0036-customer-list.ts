import type { Kysely } from 'kysely';

/** The customers page: newest first per workspace, optionally by tier, read by keyset from an index. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_list_idx').on('customers').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('customers_tier_idx').on('customers').columns(['workspace_id', 'tier', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
