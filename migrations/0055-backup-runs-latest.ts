import type { Kysely } from 'kysely';

/**
 * The backups module's gauges read the newest finished run of each kind per target on every
 * sample of every node (backups/metrics.ts): one index probe each, however long the history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('backup_runs_target_kind_idx')
    .on('backup_runs')
    .columns(['target_id', 'kind', 'started_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
