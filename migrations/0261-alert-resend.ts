import type { Kysely } from 'kysely';

/**
 * Re-notifying a firing alert (module `monitoring`, a probe's `resendEvery`): when its
 * `alert.firing` was last published and how many times it was published again since.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monitoring_alerts').addColumn('notified_at', 'text').execute();
  await db.schema
    .alterTable('monitoring_alerts')
    .addColumn('notify_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
