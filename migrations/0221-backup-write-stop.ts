import type { Kysely } from 'kysely';

/**
 * Writes stopped for a restore over live data (module `backups`): at most one row. While it is
 * there, every server on this database answers writes with 503 and its workers claim no jobs, so
 * `kefu restore --force` can take a safety backup of a database nobody changes any more.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_write_stop')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
