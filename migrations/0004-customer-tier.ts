import type { Kysely } from 'kysely';

/** A customer's tier (e.g. vip, gold): SLA policies may match on it. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('tier', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
