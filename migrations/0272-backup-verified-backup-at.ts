import type { Kysely } from 'kysely';

/**
 * Staleness by the age of the newest backup that verified intact, not by when a verification
 * last ran: a verification records the creation time of the newest backup it found intact
 * (null when it found none), and "no verified backup in 26 hours" reads the newest of those
 * (module `backups`, `newestVerifiedBackupAt`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('backup_runs').addColumn('verified_backup_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
