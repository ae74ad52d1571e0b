/**
 * A restore drill: the newest backup of a target restored into a sandbox (a temporary folder and,
 * for PostgreSQL, a scratch database on the same server), checked (authentication of every chunk,
 * file hashes, SQLite's integrity check or a complete pg_restore, then per table the row count AND
 * the checksum of its rows against the manifest), then a real Kefu process started READ-ONLY on
 * the sandbox (`kefu start --read-only --roles web`: no migrations, jobs or schedules; the database
 * refuses writes) until its /readyz answers 200. The drill then sends it a write, which must be
 * refused, and after it stopped checks that the sandbox is unchanged. RTO is the time from the
 * start of the drill to /readyz's 200; RPO is the age of the newest data at the drill's start.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { scratchDatabase } from '../../db/scratch.ts';
import { isBackupDamage } from './errors.ts';
import type { Manifest } from './manifest.ts';
import type { Repo } from './repo.ts';
import { restoreBackup } from './restore.ts';
import { checksumPgTables } from './snapshot.ts';

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
  /** Per table: rows and row checksum in the manifest and in the restored sandbox. */
  tables: DrillTable[];
  /** `compared`, or `unavailable` for a backup made before manifests recorded checksums (counts only). */
  checksums: 'compared' | 'unavailable';
  /** The read-only instance on the sandbox: /readyz's status, whether it refused a write, whether the sandbox is unchanged after it. */
  sandbox: { readOnly: true; readyzStatus: number | null; writeRefused: boolean | null; unchanged: boolean | null };
  problems: string[];
  /**
   * Whether the problems show the backup cannot bring the data back (a damaged chunk, the wrong
   * key, rows or checksums that differ, a restored instance that does not start): data loss. False
   * when the drill could not run (the target unreachable, no backup yet, no scratch database).
   */
  damaged: boolean;
};

export type DrillTable = {
  name: string;
  expected: number;
  restored: number | null;
  expectedChecksum: string | null;
  restoredChecksum: string | null;
  ok: boolean;
};

/** Per table of the manifest: counts and (when the manifest has them) checksums compared; a problem per table that differs. */
export function compareTables(
  m: Pick<Manifest, 'tables' | 'checksums'>,
  restored: { tables?: Record<string, number>; checksums?: Record<string, string> },
): { tables: DrillTable[]; problems: string[] } {
  const tables: DrillTable[] = [];
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(m.tables)) {
    const t: DrillTable = {
      name,
      expected,
      restored: restored.tables?.[name] ?? null,
      expectedChecksum: m.checksums?.[name] ?? null,
      restoredChecksum: restored.checksums?.[name] ?? null,
      ok: false,
    };
    const countOk = t.restored === expected;
    const sumOk = !m.checksums || (t.expectedChecksum !== null && t.restoredChecksum === t.expectedChecksum);
    t.ok = countOk && sumOk;
    tables.push(t);
    if (!t.ok)
      problems.push(
        `table ${name} differs from the backup:${countOk ? '' : ` ${t.restored ?? 'no'} rows restored, ${expected} backed up`}${sumOk ? '' : `${countOk ? '' : ';'} row checksum ${short(t.restoredChecksum)} restored, ${short(t.expectedChecksum)} backed up`}`,
      );
  }
  return { tables, problems };
}

const short = (h: string | null) => (h ? h.slice(0, 12) : 'none');

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

type Probe = { ok: boolean; ms: number; detail: string; readyzStatus: number | null; writeRefused: boolean | null };

/**
 * Starts `kefu start --read-only --roles web` on the sandbox, waits for /readyz's 200 (at most
 * `limitMs`), then sends it a write (a sign-in) that a read-only instance refuses with 503 `read_only`.
 */
async function probeInstance(dataDir: string, databaseUrl: string | undefined, limitMs: number): Promise<Probe> {
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
    '--read-only',
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
  let readyzStatus: number | null = null;
  const fail = (detail: string): Probe => ({
    ok: false,
    ms: performance.now() - t0,
    detail,
    readyzStatus,
    writeRefused: null,
  });
  try {
    while (performance.now() - t0 < limitMs) {
      if (proc.exitCode !== null || proc.signalCode !== null)
        return fail(`it exited before it was ready: ${out.trim().split('\n').slice(-2).join(' ')}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        readyzStatus = r.status;
        if (r.ok) {
          const ms = performance.now() - t0;
          const w = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'drill@kefu.invalid', password: 'not-a-password' }),
          });
          const code = ((await w.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code;
          const writeRefused = w.status === 503 && code === 'read_only';
          return {
            ok: writeRefused,
            ms,
            detail: writeRefused ? 'ready' : `ready, but a write was not refused (${w.status} ${code ?? ''})`,
            readyzStatus,
            writeRefused,
          };
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return fail(`not ready: no 200 from /readyz within ${limitMs} ms (last status ${readyzStatus ?? 'none'})`);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  }
}

/** What the sandbox holds: the SQLite file's SHA-256, or the restored database's row checksums. */
async function sandboxState(folder: string, db: { url: string } | undefined, m: Manifest): Promise<string> {
  if (!db)
    return createHash('sha256')
      .update(await readFile(join(folder, 'kefu.db')))
      .digest('hex');
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return JSON.stringify(await checksumPgTables(c, m.pgSchema ?? 'public'));
  } finally {
    await c.end();
  }
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
    checksums: 'unavailable',
    sandbox: { readOnly: true, readyzStatus: null, writeRefused: null, unchanged: null },
    problems: [],
    damaged: false,
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
  report.checksums = m.checksums ? 'compared' : 'unavailable';
  report.tables = compareTables(m, {}).tables;
  const sandbox = await mkdtemp(join(tmpdir(), 'kefu-drill-'));
  let db: { url: string; drop(): Promise<void> } | undefined;
  try {
    if (m.engine === 'postgres') {
      if (!opts.databaseUrl) throw new Error('a PostgreSQL backup needs a PostgreSQL server for its scratch database');
      db = await scratchDatabase(opts.databaseUrl, 'kefu_drill');
    }
    const folder = join(sandbox, 'data');
    const r0 = performance.now();
    let restored: { tables?: Record<string, number>; checksums?: Record<string, string> } = {};
    try {
      restored = await restoreBackup(
        repo,
        m,
        { folder, databaseUrl: db?.url },
        { now: opts.now, checksums: !!m.checksums },
      );
    } catch (err) {
      // Row counts that differ: compared below with the rest, table by table.
      const counts = (err as { tables?: Record<string, number> }).tables;
      if (counts) restored = { tables: counts };
      else report.problems.push((err as Error).message);
      report.damaged ||= !!counts || isBackupDamage(err);
    }
    report.restoreMs = Math.round(performance.now() - r0);
    if (restored.tables) {
      const compared = compareTables(m, restored);
      report.tables = compared.tables;
      report.problems.push(...compared.problems);
      report.damaged ||= compared.problems.length > 0;
    }
    if (!report.problems.length && opts.probe !== false) {
      // RTO: the restore and its checks, then the instance's start to /readyz's 200 (not the drill's own sandbox hashing).
      const checked = performance.now() - t0;
      const before = await sandboxState(folder, db, m);
      const p = await probeInstance(folder, db?.url, opts.probeLimitMs ?? 120_000);
      report.readyMs = Math.round(p.ms);
      report.sandbox.readyzStatus = p.readyzStatus;
      report.sandbox.writeRefused = p.writeRefused;
      if (p.ok) report.rtoMs = Math.round(checked + p.ms);
      else {
        report.problems.push(`the read-only instance on the sandbox: ${p.detail}`);
        report.damaged = true;
      }
      report.sandbox.unchanged = (await sandboxState(folder, db, m)) === before;
      if (!report.sandbox.unchanged) report.problems.push('the read-only instance changed the sandbox');
    } else if (!report.problems.length) report.rtoMs = Math.round(performance.now() - t0);
  } catch (err) {
    report.problems.push((err as Error).message);
    report.damaged ||= isBackupDamage(err);
  } finally {
    await db?.drop().catch(() => undefined);
    await rm(sandbox, { recursive: true, force: true });
  }
  report.ok = report.problems.length === 0;
  return report;
}
