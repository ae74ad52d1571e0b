/**
 * Global setup of the `unit` project, run once before the workers start: a run id (this run's
 * PostgreSQL schemas carry it, so runs sharing a database keep apart) and the migrated SQLite
 * template every test app copies (see databases.ts). The teardown drops this run's schemas and
 * removes the template.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildSqliteTemplate, runSchemaPrefix } from './databases.ts';

declare module 'vitest' {
  // What the global setup gives the workers (read with inject()).
  interface ProvidedContext {
    kefuTestRun: string;
    kefuSqliteTemplate: string;
  }
}

let run = '';
let dir = '';

export async function setup(project: TestProject): Promise<void> {
  run = randomBytes(5).toString('hex');
  dir = mkdtempSync(join(tmpdir(), 'kefu-template-'));
  const template = join(dir, 'kefu.db');
  await buildSqliteTemplate(template);
  project.provide('kefuTestRun', run);
  project.provide('kefuSqliteTemplate', template);
}

export async function teardown(): Promise<void> {
  if (dir) rmSync(dir, { recursive: true, force: true });
  const url = process.env.KEFU_TEST_DATABASE_URL;
  if (!url || !run) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ name: string }>(
      `select nspname as name from pg_namespace where starts_with(nspname, $1)`,
      [`${runSchemaPrefix}${run}_`],
    );
    for (const { name } of rows) await c.query(`drop schema "${name}" cascade`);
  } finally {
    await c.end();
  }
}
