import type { Kysely } from 'kysely';

/**
 * A backup target's own retention (module `backups`): JSON `{"daily","weekly","monthly"}` set in the
 * console, or null for the installation's policy (config `backupRetention`, else the contract's).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('backup_targets').addColumn('retention', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
