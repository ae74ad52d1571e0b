/**
 * The command line end to end (issue 13's "done means"): a key, a backup to a folder, a change, a
 * second backup that stores little, a restore into a new folder, a drill that starts a real Kefu on
 * its sandbox. Failures are one line and exit 2. A backup killed with SIGKILL midway lists nothing;
 * the next run completes and reuses the chunks already written. PostgreSQL: the same through an
 * installation's own database (the `public` schema) into a new database.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/program.ts';
import { pgUrl } from '../../testing/harness.ts';
import { nodeCacheEnv } from '../../testing/spawn.ts';

const kefu = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));
const processTimeout = 180_000;

const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('KEFU_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL') env[k] = v;
  return { ...env, ...nodeCacheEnv(), KEFU_LOG_LEVEL: 'silent', KEFU_ADMIN_PASSWORD: 'cli-admin-password' };
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function sandbox() {
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

async function newDatabase(): Promise<string> {
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

type Run = ReturnType<typeof sandbox>['run'];
async function workspace(run: Run, data: string[]) {
  const r = await run([
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
  ]);
  expect(r.stderr).toBe('');
}

describe('kefu backup and kefu restore', () => {
  it(
    'key init, backup, change, small second backup, restore into a new folder, drill on a real instance',
    async () => {
      const { dir, run, spawnRun } = sandbox();
      const init = await spawnRun(['backup', 'key', 'init']);
      expect(init.code).toBe(0);
      const key = init.stdout.split('\n')[0];
      expect(key).toMatch(/^[\w-]{43}$/);
      expect(init.stdout).toContain('AWAY from this server');
      const env = { KEFU_BACKUP_KEY: key };
      const data = ['--data-dir', join(dir, 'data')];

      const none = await run([...data, 'backup', '--to', join(dir, 'b')], { KEFU_BACKUP_KEY: '' });
      expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/^kefu: no backup key: .*\n$/)]);

      await workspace(run, data);
      // Shoppers' files: the bulk of a real installation, unchanged from one backup to the next.
      mkdirSync(join(dir, 'data', 'attachments'), { recursive: true });
      writeFileSync(join(dir, 'data', 'attachments', 'invoice.pdf'), randomBytes(2_000_000));
      await run(
        [
          ...data,
          'user',
          'create',
          '--email',
          'a@example.com',
          '--name',
          'A',
          '--role',
          'agent',
          '--workspace',
          'demo',
        ],
        env,
      );
      const first = await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env);
      expect(first.stderr).toBe('');
      const a = JSON.parse(first.stdout) as { id: string; bytes: number; storedBytes: number; durationMs: number };
      expect(a.bytes).toBeGreaterThan(100_000);
      for (let i = 0; i < 5; i++)
        await run(
          [
            ...data,
            'user',
            'create',
            '--email',
            `u${i}@example.com`,
            '--name',
            `用户${i}`,
            '--role',
            'agent',
            '--workspace',
            'demo',
          ],
          env,
        );
      const b = JSON.parse((await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env)).stdout) as typeof a;
      expect(a.storedBytes).toBeGreaterThan(2_000_000);
      expect(b.storedBytes).toBeLessThan(a.storedBytes / 10);

      const list = JSON.parse((await run(['backup', 'list', '--from', join(dir, 'b'), '--json'], env)).stdout) as {
        items: { id: string; keep: string[] }[];
      };
      expect(list.items.map((i) => i.id)).toEqual([b.id, a.id]);
      expect(list.items[0].keep).toEqual(['last', 'daily', 'weekly', 'monthly']);

      const verify = await run(['backup', 'verify', '--from', join(dir, 'b'), '--json'], env);
      expect(JSON.parse(verify.stdout)).toMatchObject({
        ok: true,
        backups: [
          { id: a.id, ok: true },
          { id: b.id, ok: true },
        ],
      });

      const restored = await run(['restore', 'latest', '--from', join(dir, 'b'), '--to', join(dir, 'r')], env);
      expect(restored.stderr).toBe('');
      expect(restored.stdout).toContain(`restored ${b.id}`);
      const again = await run(['restore', 'latest', '--from', join(dir, 'b'), '--to', join(dir, 'r')], env);
      expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('is not empty')]);
      const db = new DatabaseSync(join(dir, 'r', 'kefu.db'), { readOnly: true });
      expect(
        db
          .prepare('select name from users order by name')
          .all()
          .map((r) => r.name),
      ).toContain('用户4');
      db.close();

      const drill = JSON.parse((await run(['backup', 'drill', '--from', join(dir, 'b'), '--json'], env)).stdout) as {
        ok: boolean;
        backupId: string;
        rtoMs: number;
        rpoMs: number;
        tables: { name: string; expected: number; restored: number }[];
      };
      expect(drill).toMatchObject({ ok: true, backupId: b.id });
      expect(drill.rtoMs).toBeGreaterThan(0);
      expect(drill.rpoMs).toBeGreaterThanOrEqual(0);
      expect(drill.tables.find((t) => t.name === 'users')).toEqual({ name: 'users', expected: 7, restored: 7 });

      const wrong = await run(['backup', 'list', '--from', join(dir, 'b')], { KEFU_BACKUP_KEY: 'x'.repeat(40) });
      expect([wrong.code, wrong.stderr]).toEqual([2, `kefu: wrong backup key for folder ${join(dir, 'b')}\n`]);
      const missing = await run(['backup', 'verify', '--from', join(dir, 'nothing')], env);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('no Kefu backups there')]);
    },
    processTimeout,
  );

  it(
    'a backup killed midway lists nothing; the next run completes and reuses what was written',
    async () => {
      const { dir, run, spawnRun } = sandbox();
      const env = { KEFU_BACKUP_KEY: 'k'.repeat(40) };
      const data = ['--data-dir', join(dir, 'data')];
      await workspace(run, data);
      const killed = await spawnRun([...data, 'backup', '--to', join(dir, 'b')], {
        ...env,
        KEFU_FAULT: 'crash-during-backup:3',
      });
      expect(killed.signal).toBe('SIGKILL');
      const list = await run(['backup', 'list', '--from', join(dir, 'b'), '--json'], env);
      expect(JSON.parse(list.stdout)).toEqual({ items: [] });
      const next = JSON.parse((await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env)).stdout) as {
        bytes: number;
        storedBytes: number;
      };
      const fresh = JSON.parse((await run([...data, 'backup', '--to', join(dir, 'c'), '--json'], env)).stdout) as {
        storedBytes: number;
      };
      // The killed run's three chunks were reused, not written again.
      expect(next.storedBytes).toBeLessThan(fresh.storedBytes);
      expect((await run(['backup', 'verify', '--from', join(dir, 'b')], env)).code).toBe(0);
    },
    processTimeout,
  );

  it.runIf(pgUrl)(
    'PostgreSQL: backs up an installation database and restores it into a new database',
    async () => {
      const { dir, run } = sandbox();
      const env = { KEFU_BACKUP_KEY: 'p'.repeat(40) };
      const source = await newDatabase();
      const data = ['--data-dir', join(dir, 'data'), '--database-url', source];
      await workspace(run, data);
      await run(
        [
          ...data,
          'user',
          'create',
          '--email',
          'pg@example.com',
          '--name',
          '数据库用户',
          '--role',
          'agent',
          '--workspace',
          'demo',
        ],
        env,
      );
      const backup = await run([...data, 'backup', '--to', join(dir, 'b'), '--json'], env);
      expect(backup.stderr).toBe('');
      const target = await newDatabase();
      const restored = await run(
        ['restore', 'latest', '--from', join(dir, 'b'), '--to', target, '--files-to', join(dir, 'files')],
        env,
      );
      expect(restored.stderr).toBe('');
      const c = new pg.Client({ connectionString: target });
      await c.connect();
      expect((await c.query('select name from users')).rows.map((r: { name: string }) => r.name)).toContain(
        '数据库用户',
      );
      await c.end();
      const over = await run(['restore', 'latest', '--from', join(dir, 'b'), '--to', target], env);
      expect([over.code, over.stderr]).toEqual([2, expect.stringContaining('already has tables')]);
    },
    processTimeout,
  );
});
