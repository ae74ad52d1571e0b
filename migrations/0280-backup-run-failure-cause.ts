import type { Kysely } from 'kysely';

/**
 * Why a run failed: `damaged` when a verification or restore drill found that backups cannot bring
 * the data back (a damaged chunk, the wrong key, rows that differ, a restored instance that does
 * not start); `error` when the run could not do its work (an unreachable target, a bad
 * configuration, a full disk, the process stopped). Only the first is data loss (the P1 rule
 * `DataLossDetected`); the second is `BackupFailed` (P3). Null for runs that did not fail, and for
 * failures recorded before this column (read as `error`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('backup_runs').addColumn('failure_cause', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
