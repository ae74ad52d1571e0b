import type { Kysely } from 'kysely';

/**
 * Which notification channels get a scheduled report's summary (module `reports`):
 * `report_schedules.channels` is a JSON array of `incident_channels` ids, or null for every
 * enabled channel of the workspace (what every schedule did before this column).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_schedules').addColumn('channels', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
