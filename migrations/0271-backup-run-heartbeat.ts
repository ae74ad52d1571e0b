import type { Kysely } from 'kysely';

/**
 * Runs interrupted by a process that stopped (kill -9, a power cut): a running backup run names
 * the process that runs it (`runner`: host, pid and that process's own random id) and beats a
 * heartbeat while it works, so the next start, or the next scheduled run on any node, marks a
 * run whose process is gone as failed ("interrupted: the process stopped") instead of leaving it
 * `running` for ever (module `backups`, `recovery.ts`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('backup_runs').addColumn('runner', 'text').execute();
  await db.schema.alterTable('backup_runs').addColumn('heartbeat_at', 'text').execute();
  await db.schema.createIndex('backup_runs_status_idx').on('backup_runs').columns(['status']).execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
