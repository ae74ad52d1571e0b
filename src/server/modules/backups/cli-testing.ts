/**
 * The command line in a test: a temporary folder, `kefu` run in-process (`run`) or as a process
 * (`spawnRun`, for SIGKILL), fresh PostgreSQL databases, a workspace. Used by the backup CLI tests.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, expect } from 'vitest';
import { runCli } from '../../../cli/program.ts';
import { pgUrl } from '../../testing/harness.ts';
import { nodeCacheEnv } from '../../testing/spawn.ts';

const kefu = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));
export const processTimeout = 180_000;

export const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('KEFU_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL') env[k] = v;
  return { ...env, ...nodeCacheEnv(), KEFU_LOG_LEVEL: 'silent', KEFU_ADMIN_PASSWORD: 'cli-admin-password' };
};

export const cleanups: (() => Promise<void> | void)[] = [];
// Registered on import: every test file using the sandbox cleans up after each test.
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-backup-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = { stdout: '', stderr: '' };
    const io = {
      env: { ...baseEnv(), ...env },
      cwd: dir,
      out: (text: string) => void (r.stdout += text),
      err: (text: string) => void (r.stderr += text),
      exitCode: 0,
    };
    const { code } = await runCli(args, io);
    return { code, ...r };
  };
  const spawnRun = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [kefu, ...args], {
        cwd: dir,
        env: { ...baseEnv(), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  return { dir, run, spawnRun };
}

export async function newDatabase(): Promise<string> {
  const name = `kefu_cli_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  cleanups.push(async () => {
    const d = new pg.Client({ connectionString: pgUrl });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  });
  const u = new URL(pgUrl!);
  u.pathname = `/${name}`;
  return u.toString();
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
