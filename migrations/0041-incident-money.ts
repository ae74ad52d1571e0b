import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * Penalty figures in cents can pass 2^31 (a contract of 50 million with a 5 % cap is 250 million
 * cents; larger totals or caps go further): PostgreSQL's `integer` becomes `bigint`. SQLite's
 * integers are 64-bit already.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres')
    await sql`alter table penalty_signoffs alter column deduction_cents type bigint`.execute(db);
}
