/**
 * A restore drill: the newest backup of a target restored into a sandbox (a temporary folder and,
 * for PostgreSQL, a scratch database on the same server), checked (authentication of every chunk,
 * file hashes, SQLite's integrity check or a complete pg_restore, row counts per table against the
 * manifest), then a real Kefu process started on the sandbox (web role only, no scheduler: it runs
 * no jobs and writes nothing on its own) until its /readyz answers. RTO is the time from the start of
 * the drill to that answer; RPO is the age of the newest data at the drill's start.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Manifest } from './manifest.ts';
import type { Repo } from './repo.ts';
import { restoreBackup } from './restore.ts';

export type DrillReport = {
  ok: boolean;
  backupId: string | null;
  startedAt: string;
  /** Time to a working instance (restore + checks + /readyz), ms. */
  rtoMs: number | null;
  /** Age of the newest data in the backup when the drill started, ms. */
  rpoMs: number | null;
  restoreMs: number | null;
  readyMs: number | null;
  bytes: number | null;
  tables: { name: string; expected: number; restored: number | null }[];
  problems: string[];
};

const bin = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `kefu start --roles=web` on the sandbox and waits for /readyz (at most `limitMs`). */
async function probeInstance(
  dataDir: string,
  databaseUrl: string | undefined,
  limitMs: number,
): Promise<{ ok: boolean; ms: number; detail: string }> {
  const t0 = performance.now();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, KEFU_LOG_LEVEL: 'warn', KEFU_DEMO: 'false' };
  for (const k of Object.keys(env))
    if (k.startsWith('KEFU_') && !['KEFU_LOG_LEVEL', 'KEFU_DEMO'].includes(k)) delete env[k];
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const args = [
    bin,
    'start',
    '--no-build',
    '--roles',
    'web',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--data-dir',
    dataDir,
  ];
  const proc = spawn(process.execPath, args, { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-2000)));
  proc.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-2000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  try {
    while (performance.now() - t0 < limitMs) {
      if (proc.exitCode !== null || proc.signalCode !== null)
        return {
          ok: false,
          ms: performance.now() - t0,
          detail: `the instance exited: ${out.trim().split('\n').slice(-2).join(' ')}`,
        };
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (r.ok) return { ok: true, ms: performance.now() - t0, detail: 'ready' };
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return { ok: false, ms: performance.now() - t0, detail: `no answer from /readyz within ${limitMs} ms` };
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  }
}

/** A scratch database on the server of `url`, dropped by `drop`. */
async function scratchDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kefu_drill_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export type DrillOptions = {
  now: () => Date;
  /** PostgreSQL backups: a server where a scratch database may be created (the installation's own). */
  databaseUrl?: string;
  /** Start a Kefu on the sandbox and wait for /readyz (default true). */
  probe?: boolean;
  probeLimitMs?: number;
};

export async function runDrill(repo: Repo, opts: DrillOptions): Promise<DrillReport> {
  const started = opts.now();
  const t0 = performance.now();
  const report: DrillReport = {
    ok: false,
    backupId: null,
    startedAt: started.toISOString(),
    rtoMs: null,
    rpoMs: null,
    restoreMs: null,
    readyMs: null,
    bytes: null,
    tables: [],
    problems: [],
  };
  let m: Manifest | undefined;
  try {
    const { items } = await repo.manifests();
    m = items.at(-1);
  } catch (err) {
    report.problems.push(`cannot list backups: ${(err as Error).message}`);
  }
  if (!m) {
    if (!report.problems.length) report.problems.push('no backup on this target');
    return report;
  }
  report.backupId = m.id;
  report.bytes = m.bytes;
  report.rpoMs = Math.max(0, started.getTime() - Date.parse(m.consistencyAt));
  report.tables = Object.entries(m.tables).map(([name, expected]) => ({ name, expected, restored: null }));
  const sandbox = await mkdtemp(join(tmpdir(), 'kefu-drill-'));
  let db: { url: string; drop(): Promise<void> } | undefined;
  try {
    if (m.engine === 'postgres') {
      if (!opts.databaseUrl) throw new Error('a PostgreSQL backup needs a PostgreSQL server for its scratch database');
      db = await scratchDatabase(opts.databaseUrl);
    }
    const folder = join(sandbox, 'data');
    const r0 = performance.now();
    let restored: Record<string, number> | undefined;
    try {
      restored = (await restoreBackup(repo, m, { folder, databaseUrl: db?.url }, { now: opts.now })).tables;
    } catch (err) {
      report.problems.push((err as Error).message);
      const counts = (err as { tables?: Record<string, number> }).tables;
      if (counts) restored = counts;
    }
    report.restoreMs = Math.round(performance.now() - r0);
    for (const t of report.tables) t.restored = restored?.[t.name] ?? null;
    if (!report.problems.length && opts.probe !== false) {
      const p = await probeInstance(folder, db?.url, opts.probeLimitMs ?? 120_000);
      report.readyMs = Math.round(p.ms);
      if (!p.ok) report.problems.push(`the restored instance is not ready: ${p.detail}`);
    }
    if (!report.problems.length) report.rtoMs = Math.round(performance.now() - t0);
  } catch (err) {
    report.problems.push((err as Error).message);
  } finally {
    await db?.drop().catch(() => undefined);
    await rm(sandbox, { recursive: true, force: true });
  }
  report.ok = report.problems.length === 0;
  return report;
}
