/**
 * The `kefu` command. Most tests run it in-process (`run`: the same command line, environment,
 * working folder and output, without starting Node again); each command family also runs as a
 * real process (`spawnRun`, `start`: bin/kefu.js on the test's Node, with a clean environment),
 * so that exit statuses, output streams and signals are checked where they happen. Nothing waits
 * on the clock: a process is waited for until it exits or prints what is expected, and only the
 * test's timeout (generous, for a loaded machine) bounds it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, type TestContext } from 'vitest';
import { allTables } from '../server/testing/harness.ts';
import { cliEnv, outputOf, runKefu, type CliResult } from '../server/testing/cli.ts';
import { openDb } from '../server/db/index.ts';
import { verifyPassword } from '../server/modules/users/passwords.ts';

const kefu = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
const tempPassword = /temporary password \(must be changed at first sign-in\): (\S{4}-\S{4}-\S{4}-\S{4})/;
/** For tests that start real processes: a bound for a hang on a loaded machine, not a time a step should take. */
const processTimeout = 120_000;

/** The outer environment without any Kefu setting, so that only what a test sets counts. */
const baseEnv = () => cliEnv();

type Result = CliResult;

/**
 * A temp folder (cwd, with the data folder inside) and ways to run `kefu` in it. Everything is
 * removed, and any process still running killed, when the test ends (even by a timeout).
 */
function sandbox(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
  const children: ChildProcess[] = [];
  t.onTestFinished(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const argv = (args: string[]) => ['--data-dir', join(dir, 'data'), ...args];
  const start = (args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess => {
    const child = spawn(process.execPath, [kefu, ...argv(args)], {
      cwd: dir,
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  };
  /** A real `kefu` process, until it exits. */
  const spawnRun = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> => outputOf(start(args, env));
  /** The same command line in this process (the CLI's own entry point, on buffers). */
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
    runKefu(argv(args), { cwd: dir, env: { ...baseEnv(), ...env } });
  return { dir, start, run, spawnRun };
}

describe.concurrent('kefu config check', () => {
  it(
    'fails listing every problem with where it came from (a real process)',
    async (t) => {
      const { spawnRun } = sandbox(t);
      const r = await spawnRun(['config', 'check'], { KEFU_PORT: 'abc', KEFU_LOG_LEVEL: 'loud' });
      expect(r.code).toBe(2);
      expect(r.stdout).not.toContain('configuration is valid');
      expect(r.stderr).toMatch(/port: .*\(from environment KEFU_PORT\)/);
      expect(r.stderr).toMatch(/logLevel: .*\(from environment KEFU_LOG_LEVEL\)/);
    },
    processTimeout,
  );

  it('prints each value with its source, and masks secrets', async (t) => {
    const { dir, run } = sandbox(t);
    const secretKey = randomBytes(32).toString('hex');
    const r = await run(['--log-level', 'warn', 'config', 'check'], {
      KEFU_PORT: '4010',
      KEFU_SECRET_KEY: secretKey,
      KEFU_ADMIN_PASSWORD: 'super-secret-admin-pw',
      DATABASE_URL: 'postgres://kefu:db-pass-123@db.internal:5432/kefu',
      REDIS_URL: 'redis://:redis-p@ss-456@cache.internal:6379', // an unencoded @ in the password
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const line = (key: string) => r.stdout.split('\n').find((l) => l.trim().startsWith(key + ' ')) ?? '';
    expect(r.stdout).toContain('configuration is valid');
    expect(line('port')).toMatch(/^\s*port\s+4010\s+\[environment KEFU_PORT; env KEFU_PORT\]$/);
    expect(line('logLevel')).toContain('"warn"  [flag --log-level');
    expect(line('dataDir')).toContain(JSON.stringify(join(dir, 'data')));
    expect(line('host')).toContain('"0.0.0.0"  [default');
    expect(line('databaseUrl')).toContain('"postgres://***@db.internal:5432/kefu"  [environment DATABASE_URL');
    expect(line('redisUrl')).toContain('"redis://***@cache.internal:6379"');
    expect(line('secretKey')).toContain('"***"');
    expect(line('adminPassword')).toContain('"***"');
    for (const secret of [secretKey, 'super-secret-admin-pw', 'db-pass-123', 'redis-p', 'ss-456'])
      expect(r.stdout).not.toContain(secret);
  });
});

describe.concurrent('kefu migrate, workspace and user', () => {
  it(
    'migrates, and a second run has nothing to apply (real processes)',
    async (t) => {
      const { spawnRun } = sandbox(t);
      const first = await spawnRun(['migrate']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^applied: 0001-foundation/);
      const second = await spawnRun(['migrate']);
      expect(second.code).toBe(0);
      expect(second.stdout.trim()).toBe('nothing to apply: the database is up to date');
    },
    processTimeout,
  );

  // Creating is run as real processes, resetting in-process.
  it(
    'creates a workspace and a user with temporary passwords, and resets a password',
    async (t) => {
      const { dir, run, spawnRun } = sandbox(t);
      const ws = await spawnRun([
        'workspace',
        'create',
        '--name',
        'Acme Store',
        '--slug',
        'acme',
        '--admin-email',
        'owner@acme.test',
      ]);
      expect(ws.stderr).toBe('');
      expect(ws.code).toBe(0);
      expect(ws.stdout).toMatch(/created workspace acme \(ws_\w+\); owner owner@acme\.test/);
      expect(ws.stdout).toMatch(tempPassword);

      const user = await spawnRun([
        'user',
        'create',
        '--workspace',
        'acme',
        '--email',
        'Agent@Acme.test',
        '--name',
        'Agent A',
        '--role',
        'agent',
      ]);
      expect(user.code).toBe(0);
      expect(user.stdout).toMatch(/created agent@acme\.test \(agent\) in acme: usr_\w+/);
      const first = tempPassword.exec(user.stdout)![1];

      const reset = await run(['user', 'reset', '--email', 'agent@acme.test']);
      expect(reset.code).toBe(0);
      const second = tempPassword.exec(reset.stdout)![1];
      expect(second).not.toBe(first);

      const h = openDb({ sqliteFile: join(dir, 'data', 'kefu.db') });
      try {
        const row = await allTables(h)
          .selectFrom('users')
          .selectAll()
          .where('email', '=', 'agent@acme.test')
          .executeTakeFirstOrThrow();
        expect(row).toMatchObject({ role: 'agent', name: 'Agent A', must_change_password: 1, disabled: 0 });
        expect(await verifyPassword(row.password_hash, second)).toBe(true);
        expect(await verifyPassword(row.password_hash, first)).toBe(false);
      } finally {
        await h.close();
      }

      const setPw = await run(['user', 'reset', '--email', 'agent@acme.test', '--password', 'a-chosen-password']);
      expect(setPw.stdout.trim()).toBe('password set');
    },
    processTimeout,
  );

  // The first as a real process: an error ends it with status 1 and the message on stderr.
  it(
    'fails with a clear message for an unknown workspace, user or role',
    async (t) => {
      const { run, spawnRun } = sandbox(t);
      const noWs = await spawnRun(['user', 'create', '--workspace', 'nope', '--email', 'a@b.test', '--name', 'A']);
      expect(noWs.code).toBe(1);
      expect(noWs.stderr).toContain('kefu: no workspace with the slug nope');
      const noUser = await run(['user', 'reset', '--email', 'ghost@b.test']);
      expect(noUser.code).toBe(1);
      expect(noUser.stderr).toContain('no user with the e-mail ghost@b.test');
      const badRole = await run([
        'user',
        'create',
        '--workspace',
        'nope',
        '--email',
        'a@b.test',
        '--name',
        'A',
        '--role',
        'emperor',
      ]);
      expect(badRole.code).toBe(1);
      expect(badRole.stderr).toMatch(/^kefu: /);
    },
    processTimeout,
  );
});

describe.concurrent('kefu doctor', () => {
  // Migrated in-process, checked by a real process (whose Node.js version is the one checked).
  it(
    'passes on a healthy SQLite setup',
    async (t) => {
      const { run, spawnRun } = sandbox(t);
      expect((await run(['migrate'])).code).toBe(0);
      const r = await spawnRun(['doctor']);
      expect(r.code).toBe(0);
      for (const what of [
        'configuration valid',
        'Node.js: v',
        'data folder: ',
        'database: sqlite:',
        'migrations: up to date',
        'bus: in-process',
      ]) {
        expect(r.stdout).toContain(`✓ ${what}`);
      }
      expect(r.stdout).not.toContain('✗');
      expect(r.stdout).toContain('no problems found');
    },
    processTimeout,
  );

  it('fails clearly when the database is unreachable', async (t) => {
    const { run } = sandbox(t);
    const r = await run(['doctor', '--database-url', 'postgres://postgres@127.0.0.1:1/x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ database.*ECONNREFUSED 127\.0\.0\.1:1/);
    expect(r.stdout).toContain('1 problem(s) found');
  });

  it('reports an invalid configuration instead of checking', async (t) => {
    const { run } = sandbox(t);
    const r = await run(['doctor'], { KEFU_PORT: 'abc' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ configuration[\s\S]*port: .*KEFU_PORT/);
  });
});

describe.concurrent('kefu start', () => {
  it(
    'serves on a free port, signs the administrator in, and stops cleanly on SIGTERM',
    async (t) => {
      // Waits for the "running" line (or the exit), then for the exit after SIGTERM: no clock but the test's timeout.
      const { start } = sandbox(t);
      const password = 'first-admin-password';
      const child = start(['start', '--no-build', '--port', '0', '--host', '127.0.0.1'], {
        KEFU_ADMIN_PASSWORD: password,
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
        child.on('exit', (code, signal) => r({ code, signal })),
      );
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /Kefu is running: (http:\/\/127\.0\.0\.1:(\d+))/.exec(stdout);
          if (m && m[2] !== '0') resolve(m[1]);
        };
        child.stdout!.on('data', check);
        void exited.then((e) =>
          reject(new Error(`kefu exited (${e.code}) before it was ready:\n${stdout}\n${stderr}`)),
        );
      });
      expect(stdout).toContain('Password:   the one in KEFU_ADMIN_PASSWORD');
      expect(stdout).toContain('Sign in:    admin@kefu.local');
      expect(stdout).toMatch(/Demo shop: {2}http:\/\/127\.0\.0\.1:\d+\/demo/);
      expect(stdout).not.toContain(password);

      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@kefu.local', password }),
      });
      expect(login.status).toBe(200);
      const me = (await login.json()) as { user: { email: string; role: string }; workspace: { slug: string } };
      expect(me.user).toMatchObject({ email: 'admin@kefu.local', role: 'owner' });
      expect(me.workspace.slug).toBe('demo');
      const wrong = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@kefu.local', password: 'not-the-password' }),
      });
      expect(wrong.status).toBe(401);
      const demo = await fetch(`${url}/demo`);
      expect(demo.status).toBe(200);
      expect(await demo.text()).toMatch(/<script src="\/widget\.js" data-inbox="[\w-]+"/);

      child.kill('SIGTERM');
      expect(await exited, `kefu after SIGTERM:\n${stdout}\n${stderr}`).toEqual({ code: 0, signal: null });
      expect(stdout).toContain('SIGTERM: stopping');
      expect(stderr).toBe('');
    },
    processTimeout,
  );
});
