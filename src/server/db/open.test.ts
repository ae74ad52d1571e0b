import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshPgSchema, pgUrl } from '../testing/harness.ts';
import { openDb } from './index.ts';

describe.runIf(pgUrl)('openDb on PostgreSQL', () => {
  it('outlives the server ending its idle connections, and queries again on new ones', async () => {
    const pgs = await freshPgSchema();
    const ended: Error[] = [];
    const handle = openDb({ databaseUrl: pgUrl, pgSchema: pgs.schema, poolSize: 2, onIdleError: (e) => ended.push(e) });
    const other = openDb({ databaseUrl: pgUrl, poolSize: 1 });
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)).rows[0]!.pid;
      const before = await pid();
      // As an administrator, a restart or a failover would: the idle connection is terminated.
      await sql`select pg_terminate_backend(${before})`.execute(other.db);
      await expect.poll(() => ended.length, { timeout: 5_000 }).toBe(1);
      expect((ended[0] as Error & { code?: string }).code).toBe('57P01');
      expect(await pid()).not.toBe(before);
    } finally {
      await other.close();
      await handle.close();
      await pgs.drop();
    }
  });

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
