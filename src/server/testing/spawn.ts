/**
 * Runs Kefu as a real process (the CLI), for crash, multi-node and benchmark scenarios.
 * The caller owns the data folder and database, so a process can be killed and started again on them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../db/index.ts';
import { nodeCacheEnv } from './node-cache.ts';
import { scratchDatabase } from './pg-database.ts';

export { nodeCacheEnv };

const bin = fileURLToPath(new URL('../../../bin/kefu.js', import.meta.url));
export const adminPassword = 'process-admin-password';

export type KefuProcess = {
  url: string;
  port: number;
  proc: ChildProcess;
  readyMs: number;
  output: () => string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Processes started here that are still running: killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * Starts `kefu start` and resolves once it answers /readyz (or rejects if it exits first). There
 * is no start-up time limit but `hangMs`, a guard against a process that never gets ready, far
 * beyond any start on a loaded machine: the caller's test timeout is what bounds a test.
 */
export async function startKefuProcess(opts: {
  dataDir: string;
  env?: Record<string, string>;
  args?: string[];
  /** Options for node itself (e.g. `--trace-gc`, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
  cpu?: number;
  hangMs?: number;
  /** A port chosen beforehand (e.g. so KEFU_PUBLIC_URL can name it); a free one otherwise. */
  port?: number;
}): Promise<KefuProcess> {
  const port = opts.port ?? (await freePort());
  const t0 = performance.now();
  const args = [
    ...(opts.nodeArgs ?? []),
    bin,
    'start',
    '--no-build',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--data-dir',
    opts.dataDir,
    ...(opts.args ?? []),
  ];
  // `taskset` pins the server to one core when asked (benchmarks keep the load generator on another).
  const [cmd, argv] =
    opts.cpu === undefined
      ? [process.execPath, args]
      : ['taskset', ['-c', String(opts.cpu), process.execPath, ...args]];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEFU_LOG_LEVEL: 'warn',
    KEFU_ADMIN_PASSWORD: adminPassword,
    // An empty demo workspace: these tests count what they make themselves.
    KEFU_DEMO_DATA: 'false',
    ...nodeCacheEnv(),
    ...opts.env,
  };
  for (const k of ['DATABASE_URL', 'REDIS_URL']) if (!opts.env?.[k]) delete env[k];
  const proc = spawn(cmd, argv as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  const exited = new Promise<void>((r) =>
    proc.once('exit', () => {
      running.delete(proc);
      r();
    }),
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d));
  proc.stderr!.on('data', (d: Buffer) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.hangMs ?? 180_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`kefu exited with ${proc.exitCode ?? proc.signalCode}:\n${out}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`kefu did not become ready in ${opts.hangMs ?? 180_000} ms:\n${out}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    port,
    proc,
    readyMs: performance.now() - t0,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Signs in over HTTP; returns the cookie header and CSRF token. */
export async function signInHttp(
  url: string,
  email = 'admin@kefu.local',
  password = adminPassword,
): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie()[0].split(';')[0], csrf: me.csrfToken };
}

export async function api<T = any>(
  url: string,
  auth: { cookie: string; csrf: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: auth.cookie,
      'x-csrf-token': auth.csrf,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  // 204 and other empty answers (a DELETE, a sign-out) have no JSON to parse.
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * A data folder and, for PostgreSQL, a fresh database, for server processes; returns the env they
 * need. `cleanups` receives what removes them.
 */
export async function processPlace(
  engine: Engine,
  cleanups: (() => Promise<void>)[],
): Promise<{ dataDir: string; env: Record<string, string> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-proc-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = { KEFU_SECRET_KEY: randomBytes(32).toString('hex') };
  if (engine === 'postgres') {
    const db = await scratchDatabase('kefu');
    env.DATABASE_URL = db.url;
    cleanups.push(db.drop);
  }
  return { dataDir, env };
}
