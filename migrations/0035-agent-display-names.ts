import type { Kysely } from 'kysely';

/** An agent's display name (昵称): what shoppers see on replies, apart from the account name. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('display_name', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
