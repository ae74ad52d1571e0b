import { sql, type Kysely } from 'kysely';

/**
 * Incidents the merchant's staff report through the "report a problem" page (the contract's
 * support line) are of source `merchant` (they were `report`, which read like the reports module).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE incidents SET source = 'merchant' WHERE source = 'report'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
