import type { Kysely } from 'kysely';

/**
 * Backups (issue 13): the targets backups go to (their secrets encrypted with the installation
 * key; an SFTP server's host key pinned on first use) and the history of runs (backups,
 * verifications, drills, prunes, off-site copies) with their figures and reports. Installation-wide:
 * no workspace column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('secrets_enc', 'text')
    .addColumn('offsite', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('host_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('backup_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_id', 'text', (c) => c.references('backup_targets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backup_id', 'text')
    .addColumn('bytes', 'bigint')
    .addColumn('stored_bytes', 'bigint')
    .addColumn('duration_ms', 'integer')
    .addColumn('report', 'text')
    .addColumn('error', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('backup_runs_target_idx')
    .on('backup_runs')
    .columns(['target_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('backup_runs_kind_idx')
    .on('backup_runs')
    .columns(['kind', 'status', 'finished_at'])
    .execute();
}
