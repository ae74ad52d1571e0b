/**
 * The migration runner, applied at boot and by `kefu migrate`. Kysely's migrator takes a lock
 * (a PostgreSQL advisory lock; on SQLite the IMMEDIATE transaction is the lock), so two nodes
 * starting at once apply each migration exactly once, and a second run does nothing.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { engineOf, type Db } from './index.ts';

export const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));

const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(migrationsDir)).filter((f) => /^\d{4}-[\w-]+\.ts$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) out[f.replace(/\.ts$/, '')] = await import(pathToFileURL(join(migrationsDir, f)).href);
    return out;
  },
};

export async function migrator(db: Db): Promise<Migrator> {
  // Without an explicit schema Kysely's PostgreSQL migrator takes a kefu_migrations table in ANY
  // schema of the database for its own, and then fails in a fresh one: pin it to the schema in use.
  const schema =
    engineOf(db) === 'postgres'
      ? ((await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ??
        undefined)
      : undefined;
  return new Migrator({
    db,
    provider,
    migrationTableName: 'kefu_migrations',
    migrationLockTableName: 'kefu_migrations_lock',
    migrationTableSchema: schema,
  });
}

/** Applies pending migrations; returns the names applied now. Throws on the first failure. */
/**
 * Kysely's migrator first lists the tables of every schema of the database; another client
 * dropping its schema meanwhile (parallel test runs, one schema each) fails that listing with
 * 3F000. Nothing was applied then (it fails before taking the lock): try again.
 */
async function retryingSchemaRace<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: unknown }).code !== '3F000' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  return retryingSchemaRace(async () => {
    const { error, results } = await (await migrator(db)).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  });
}

/** Names of migrations not yet applied (for /readyz and `doctor`). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await retryingSchemaRace(async () => (await migrator(db)).getMigrations());
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
