import type { Kysely } from 'kysely';

/**
 * A stored report's snapshot of the inputs that are not records of its period (knowledge entries,
 * probes, inbox hours, group names and conversation → group, incidents' fields, the time zone,
 * the weekly report's npm audit answer, the contract's terms…: docs/REPORTS.md "Recomputing a
 * stored report"), as JSON, with its SHA-256. Null for reports stored before this column: they are
 * recomputed from those inputs as they are now.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('inputs', 'text').execute();
  await db.schema.alterTable('reports').addColumn('inputs_sha256', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
