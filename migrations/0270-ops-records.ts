import type { Kysely } from 'kysely';

/**
 * The installation's own operations records (src/server/lib/ops-records), read by the weekly
 * inspection report: `log_records` holds the error and warning log records as signatures
 * (normalised message, error type, top stack frames; never the raw message), `perf_samples` the
 * duration summaries of database statements by shape and of alert-rule evaluations by rule, and
 * the log store's coverage (kind `logs`). Both are bounded per flush and kept 35 days.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('log_records')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('err_type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('frames', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('log_records_at').on('log_records').columns(['at']).execute();
  await db.schema
    .createTable('perf_samples')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('shape', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('total_ms', 'real', (c) => c.notNull())
    .addColumn('max_ms', 'real', (c) => c.notNull())
    .addColumn('buckets', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('perf_samples_at').on('perf_samples').columns(['at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
