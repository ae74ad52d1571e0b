import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshPgSchema, pgUrl } from '../testing/harness.ts';
import { openDb } from './index.ts';

describe.runIf(pgUrl)('openDb on PostgreSQL', () => {
  it('applies the schema and the session settings to every connection of the pool', async () => {
    const pgs = await freshPgSchema();
    const handle = openDb({
      databaseUrl: pgUrl,
      pgSchema: pgs.schema,
      poolSize: 2,
      pgSettings: { max_parallel_workers_per_gather: 0 },
    });
    try {
      // Two sessions at once: both were opened with the settings.
      const rows = await Promise.all(
        [0, 1].map(() =>
          handle.db.connection().execute(async (c) => {
            const { rows } = await sql<{
              p: string;
              s: string;
            }>`select current_setting('max_parallel_workers_per_gather') as p, current_schema() as s, pg_sleep(0.05)`.execute(
              c,
            );
            return rows[0]!;
          }),
        ),
      );
      expect(rows).toEqual([
        { p: '0', s: pgs.schema, pg_sleep: '' },
        { p: '0', s: pgs.schema, pg_sleep: '' },
      ]);
    } finally {
      await handle.close();
      await pgs.drop();
    }
  });
});
