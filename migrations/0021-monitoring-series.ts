import { sql, type Kysely } from 'kysely';

/**
 * Monitoring series (issue #11): one row per series (metric name + labels, `node` among them),
 * raw samples (kept 48 h by default) and rollups per minute (14 days) and hour (400 days).
 * Timestamps are epoch milliseconds; the samples tables are keyed by (series, time) so a range
 * read is one index range, and on SQLite they are WITHOUT ROWID (the key is the row).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  await db.schema
    .createTable('monitoring_series')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitoring_series_name_uq')
    .on('monitoring_series')
    .columns(['name', 'labels'])
    .unique()
    .execute();
  const withoutRowid = (q: { modifyEnd(s: unknown): unknown }) => (pg ? q : q.modifyEnd(sql`without rowid`));
  await (
    withoutRowid(
      db.schema
        .createTable('monitoring_samples')
        .addColumn('series_id', 'integer', (c) => c.notNull())
        .addColumn('t', 'bigint', (c) => c.notNull())
        .addColumn('v', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('monitoring_samples_pk', ['series_id', 't']),
    ) as { execute(): Promise<unknown> }
  ).execute();
  await db.schema.createIndex('monitoring_samples_t_idx').on('monitoring_samples').column('t').execute();
  await (
    withoutRowid(
      db.schema
        .createTable('monitoring_rollups')
        .addColumn('series_id', 'integer', (c) => c.notNull())
        .addColumn('res', 'integer', (c) => c.notNull())
        .addColumn('t', 'bigint', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('sum', 'double precision', (c) => c.notNull())
        .addColumn('min', 'double precision', (c) => c.notNull())
        .addColumn('max', 'double precision', (c) => c.notNull())
        .addColumn('last', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('monitoring_rollups_pk', ['series_id', 'res', 't']),
    ) as { execute(): Promise<unknown> }
  ).execute();
  await db.schema.createIndex('monitoring_rollups_t_idx').on('monitoring_rollups').columns(['res', 't']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
