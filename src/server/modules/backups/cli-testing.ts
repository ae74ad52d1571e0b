/**
 * The command line in a test: a temporary folder, `kefu` run in-process (`run`) or as a process
 * (`spawnRun`, for SIGKILL), fresh PostgreSQL databases, a workspace. Used by the backup CLI tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { cliEnv, outputOf, runKefu } from '../../testing/cli.ts';
import { scratchDatabase } from '../../testing/pg-database.ts';

const kefu = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));
export const processTimeout = 180_000;

export const baseEnv = (): NodeJS.ProcessEnv => cliEnv({ KEFU_ADMIN_PASSWORD: 'cli-admin-password' });

export const cleanups: (() => Promise<void> | void)[] = [];
// Registered on import: every test file using the sandbox cleans up after each test. Dropping a
// database waits for a checkpoint, which on a busy shared server takes longer than the default hook timeout.
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
}, processTimeout);

export function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-backup-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runKefu(args, { cwd: dir, env: { ...baseEnv(), ...env } });
  const spawnRun = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    outputOf(
      spawn(process.execPath, [kefu, ...args], {
        cwd: dir,
        env: { ...baseEnv(), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  return { dir, run, spawnRun };
}

export async function newDatabase(): Promise<string> {
  const db = await scratchDatabase('kefu_cli');
  cleanups.push(db.drop);
  return db.url;
}

export type Run = ReturnType<typeof sandbox>['run'];
export async function workspace(run: Run, data: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await run(
    [
      ...data,
      'workspace',
      'create',
      '--name',
      '演示店铺',
      '--slug',
      'demo',
      '--admin-email',
      'owner@example.com',
      '--admin-password',
      'owner-password-1',
    ],
    env,
  );
  expect(r.stderr).toBe('');
}
