/** Scratch PostgreSQL databases for tests that need a whole database (restores, processes, drills). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server (`KEFU_TEST_DATABASE_URL`), read here so process helpers need not load the harness. */
const pgUrl = process.env.KEFU_TEST_DATABASE_URL;

async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new, empty database on the test server (`KEFU_TEST_DATABASE_URL`); `drop` removes it. */
export async function scratchDatabase(prefix = 'kefu_t'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await onServer(pgUrl!, (c) => c.query(`create database ${name}`));
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(pgUrl!, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
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
