/**
 * One-off connections to a PostgreSQL server and scratch databases on it: the restore drill's
 * sandbox database, and the tests' whole databases (testing/pg-database.ts).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Runs `fn` on a connection of its own to `url`, closed afterwards whatever happens. */
export async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new, empty database named `<prefix>_<random>` on the server of `serverUrl`; `drop` removes it. */
export async function scratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await onServer(serverUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      onServer(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
