import type { Kysely } from 'kysely';

/**
 * When each SLA scanner last completed a scan (module `sla`): one row per scanner (`tickets`,
 * `incidents`), written by whichever node ran the scan, read by every node's
 * `kefu_sla_scan_last_completed_timestamp_seconds` gauge, so a scrape of any node tells whether
 * the clocks are being checked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_scans')
    .addColumn('scanner', 'text', (c) => c.primaryKey())
    .addColumn('last_completed_at', 'text', (c) => c.notNull())
    .addColumn('checked', 'integer', (c) => c.notNull()) // subjects the last scan checked
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
