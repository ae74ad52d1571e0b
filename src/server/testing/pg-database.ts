/** Scratch PostgreSQL databases for tests that need a whole database (restores, processes, drills). */
import { onServer, scratchDatabase as scratchOn } from '../db/scratch.ts';

/** The test server (`KEFU_TEST_DATABASE_URL`), read here so process helpers need not load the harness. */
const pgUrl = process.env.KEFU_TEST_DATABASE_URL;

/** A new, empty database on the test server (`KEFU_TEST_DATABASE_URL`); `drop` removes it. */
export function scratchDatabase(prefix = 'kefu_t'): Promise<{ url: string; drop(): Promise<void> }> {
  return scratchOn(pgUrl!, prefix);
}

/** How many tables the database at `url` holds (outside PostgreSQL's own schemas). */
export function tablesIn(url: string): Promise<number> {
  return onServer(url, async (c) => {
    const r = await c.query<{ n: number }>(
      `select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`,
    );
    return r.rows[0].n;
  });
}
