/**
 * `npm run bench -- backup [--mb 1024]`: a SQLite installation of about that size (the audit log
 * filled with realistic entries: what grows without bound), then
 * - the first backup to a local folder: time, throughput, bytes stored;
 * - the next backup after 1 % more rows: time and bytes stored (a small fraction of the first);
 * - a restore into a new folder with every check (the RTO without the instance start);
 * - this process's event-loop delay (p99, max) while the backup runs: the backup runs in the worker
 *   role of a node that also serves chat, so this is the delay the chat gateway would see.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/server/config.ts';
import { createLogger } from '../src/server/lib/logger.ts';
import { newId } from '../src/server/lib/ids.ts';
import { closeServices, createServices, prepare } from '../src/server/services.ts';
import { createBackup, localTarget, openRepo, restoreBackup, sourceOf } from '../src/server/modules/backups/index.ts';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function fill(file: string, workspaceId: string, rows: number, from: number): void {
  const db = new DatabaseSync(file);
  db.exec('pragma journal_mode = wal; pragma synchronous = normal');
  const ins = db.prepare(
    `insert into audit_log (id, workspace_id, actor_type, actor_id, actor_name, action, object_type, object_id, ip, data, created_at)
     values (?, ?, 'user', 'usr_bench', '客服小王', 'ticket.updated', 'ticket', ?, '10.0.0.8', ?, ?)`,
  );
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < rows; i += 10_000) {
    db.exec('begin');
    for (let j = i; j < Math.min(rows, i + 10_000); j++) {
      const n = from + j;
      const data = JSON.stringify({
        changes: { status: ['open', 'pending'], priority: ['normal', 'high'] },
        note: `顾客反馈订单 ${100000 + n} 物流三天未更新，已联系快递公司核实，预计明日送达。${randomBytes(24).toString('base64')}`,
      });
      ins.run(newId('aud', base + n * 1000), workspaceId, `tkt_${n}`, data, new Date(base + n * 1000).toISOString());
    }
    db.exec('commit');
  }
  db.exec('pragma wal_checkpoint(truncate)');
  db.close();
}

export async function backup(args: string[]): Promise<void> {
  const at = args.indexOf('--mb');
  const targetMb = at >= 0 ? Number(args[at + 1]) : 1024;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-backup-'));
  const dataDir = join(dir, 'data');
  const { config } = loadConfig({
    env: {},
    flags: { dataDir, logLevel: 'silent', demo: true, adminPassword: 'bench-password-123' },
  });
  const s = createServices(config, { log: createLogger('silent') });
  try {
    await prepare(s);
    const ws = (
      s.db as unknown as {
        selectFrom(t: string): { select(c: string): { executeTakeFirstOrThrow(): Promise<{ id: string }> } };
      }
    )
      .selectFrom('workspaces')
      .select('id');
    const workspaceId = (await ws.executeTakeFirstOrThrow()).id;
    const file = join(dataDir, 'kefu.db');
    // About 520 bytes per row with its indexes.
    const rows = Math.round((targetMb * 1048576) / 520);
    const t0 = performance.now();
    fill(file, workspaceId, rows, 0);
    const size = statSync(file).size;
    console.log(
      `database: ${mib(size)} (${rows.toLocaleString('en')} audit entries), filled in ${secs(performance.now() - t0)}`,
    );

    const repo = await openRepo(localTarget(join(dir, 'target')), 'bench backup key that is long enough!!', {
      create: true,
      now: new Date(),
    });
    const source = await sourceOf(s);
    const now = () => new Date();
    const measure = async (label: string) => {
      const h = monitorEventLoopDelay({ resolution: 10 });
      h.enable();
      const m = await createBackup(source, repo, { now, reason: 'bench' });
      h.disable();
      console.log(
        `${label}: ${secs(m.durationMs)}, ${(m.bytes / 1048576 / (m.durationMs / 1000)).toFixed(0)} MiB/s logical, ${mib(m.bytes)} backed up, ${mib(m.storedBytes)} stored (${((100 * m.storedBytes) / m.bytes).toFixed(1)} % of logical); event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms`,
      );
      return m;
    };
    const first = await measure('first backup');
    fill(file, workspaceId, Math.round(rows / 100), rows);
    const second = await measure('next backup after 1 % more rows');
    console.log(
      `  the next backup stored ${((100 * second.storedBytes) / first.storedBytes).toFixed(1)} % of what the first stored`,
    );
    const r0 = performance.now();
    const restored = await restoreBackup(repo, second, { folder: join(dir, 'restored') }, { now });
    console.log(
      `restore into a new folder (chunks authenticated, SHA-256, integrity_check, row counts): ${secs(performance.now() - r0)} for ${mib(restored.bytes)}`,
    );
  } finally {
    await closeServices(s);
    rmSync(dir, { recursive: true, force: true });
  }
}
