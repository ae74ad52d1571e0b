import type { Kysely } from 'kysely';

/**
 * Where a backup target is defined (module `backups`): `console` (saved through the API) or
 * `config` (the config file's `backupTargets`, written at start; read-only in the console).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('backup_targets')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('console'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
