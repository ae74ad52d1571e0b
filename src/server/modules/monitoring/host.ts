/**
 * Gauges of the host and the database, on the process's Prometheus registry (so /metrics shows
 * them and the sampler stores them like every module's gauges). Host figures come from /proc
 * (`proc.ts`, asynchronous reads, no child processes) and `fs.statfs` of the data folder; a snapshot is reused
 * for 5 s, so a scrape and a sample close together measure once.
 */
import { stat, statfs } from 'node:fs/promises';
import { freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Services } from '../../context.ts';
import { cpuShare, readProc, type CpuTimes } from './proc.ts';

export type HostSnapshot = {
  cpu: number;
  memTotal: number;
  memAvailable: number;
  load: number[];
  disk: { size: number; free: number };
  io: { reads: number; writes: number; readBytes: number; writeBytes: number } | null;
  net: { iface: string; rx: number; tx: number; rxErrors: number; txErrors: number }[];
};

function memo<T>(ttlMs: number, get: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | null = null;
  return () => {
    if (!value || Date.now() - at > ttlMs) {
      at = Date.now();
      value = get();
      value.catch(() => (value = null));
    }
    return value;
  };
}

/**
 * CPU share since the previous snapshot; the first one since `firstCpu` (a reading taken earlier),
 * or, without one, since the host metrics were registered.
 */
function hostSnapshotter(dataDir: string, firstCpu?: CpuTimes | null): () => Promise<HostSnapshot> {
  let lastCpu: CpuTimes | null = firstCpu ?? null;
  if (firstCpu === undefined) void readProc().then((p) => (lastCpu ??= p.cpu));
  return async () => {
    const [p, fs] = await Promise.all([readProc(), statfs(dataDir)]);
    const cpu = lastCpu && p.cpu ? cpuShare(lastCpu, p.cpu) : 0;
    if (p.cpu) lastCpu = p.cpu;
    return {
      cpu,
      memTotal: p.mem?.total ?? totalmem(),
      memAvailable: p.mem?.available ?? freemem(),
      load: loadavg(),
      disk: { size: fs.blocks * fs.bsize, free: fs.bavail * fs.bsize },
      io: p.disk ? { reads: 0, writes: 0, ...p.disk } : null,
      net: p.net,
    };
  };
}

/** One snapshot now, its CPU share measured over 200 ms (for the demo's history). */
export async function hostSnapshot(dataDir: string): Promise<HostSnapshot> {
  const first = (await readProc()).cpu;
  await new Promise((r) => setTimeout(r, 200));
  return hostSnapshotter(dataDir, first)();
}

/** A counter whose value is read from the system (set, not incremented). */
function sysCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: (c: Counter) => Promise<void>,
) {
  return new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      await read(this);
    },
  });
}

const setCounter = (c: Counter, labels: Record<string, string>, v: number) => {
  c.reset();
  c.inc(labels, v);
};

export function registerHostMetrics(s: Services): void {
  const r = s.metrics;
  if (r.getSingleMetric('kefu_host_cpu_usage_ratio')) return;
  const snap = memo(5000, hostSnapshotter(s.config.dataDir));
  const gauge = (name: string, help: string, set: (g: Gauge, h: HostSnapshot) => void, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [r],
      async collect() {
        set(this, await snap());
      },
    });
  gauge('kefu_host_cpu_usage_ratio', 'Host CPU busy share, 0–1', (g, h) => g.set(h.cpu));
  gauge('kefu_host_memory_total_bytes', 'Host memory', (g, h) => g.set(h.memTotal));
  gauge('kefu_host_memory_available_bytes', 'Host memory available to new work', (g, h) => g.set(h.memAvailable));
  gauge('kefu_host_load1', 'Host load average, 1 minute', (g, h) => g.set(h.load[0]));
  gauge('kefu_host_load5', 'Host load average, 5 minutes', (g, h) => g.set(h.load[1]));
  gauge('kefu_host_disk_size_bytes', 'Size of the file system holding the data folder', (g, h) => g.set(h.disk.size));
  gauge('kefu_host_disk_free_bytes', 'Free space for Kefu on the data folder file system', (g, h) =>
    g.set(h.disk.free),
  );
  sysCounter(r, 'kefu_host_disk_read_bytes_total', 'Bytes read from the host disks', [], async (c) => {
    const h = await snap();
    if (h.io) setCounter(c, {}, h.io.readBytes);
  });
  sysCounter(r, 'kefu_host_disk_written_bytes_total', 'Bytes written to the host disks', [], async (c) => {
    const h = await snap();
    if (h.io) setCounter(c, {}, h.io.writeBytes);
  });
  for (const [name, help, pick] of [
    ['kefu_host_network_receive_bytes_total', 'Bytes received, by interface', (n: HostSnapshot['net'][0]) => n.rx],
    ['kefu_host_network_transmit_bytes_total', 'Bytes sent, by interface', (n: HostSnapshot['net'][0]) => n.tx],
    [
      'kefu_host_network_receive_errors_total',
      'Receive errors, by interface',
      (n: HostSnapshot['net'][0]) => n.rxErrors,
    ],
    [
      'kefu_host_network_transmit_errors_total',
      'Transmit errors, by interface',
      (n: HostSnapshot['net'][0]) => n.txErrors,
    ],
  ] as const)
    sysCounter(r, name, help, ['iface'], async (c) => {
      c.reset();
      for (const n of (await snap()).net) if (Number.isFinite(pick(n))) c.inc({ iface: n.iface }, pick(n));
    });
  registerDatabaseMetrics(s);
}

type DbSnapshot = { up: number; probe: number; size: number; wal: number; connections: number; lag: number };

async function dbSnapshot(s: Services): Promise<DbSnapshot> {
  const started = performance.now();
  try {
    await sql`select 1`.execute(s.db);
  } catch {
    return { up: 0, probe: (performance.now() - started) / 1000, size: 0, wal: 0, connections: 0, lag: 0 };
  }
  const probe = (performance.now() - started) / 1000;
  if (s.engine === 'postgres') {
    const row = (
      await sql<{ size: string; connections: string; lag: string | null }>`
        select pg_database_size(current_database()) as size,
               (select count(*) from pg_stat_activity where datname = current_database()) as connections,
               extract(epoch from now() - pg_last_xact_replay_timestamp()) as lag`.execute(s.db)
    ).rows[0];
    return {
      up: 1,
      probe,
      size: Number(row.size),
      wal: 0,
      connections: Number(row.connections),
      lag: Number(row.lag ?? 0),
    };
  }
  const file = join(s.config.dataDir, 'kefu.db');
  const size = async (f: string) => (await stat(f).catch(() => null))?.size ?? 0;
  return { up: 1, probe, size: await size(file), wal: await size(`${file}-wal`), connections: 0, lag: 0 };
}

function registerDatabaseMetrics(s: Services): void {
  const snap = memo(5000, () => dbSnapshot(s));
  const gauge = (name: string, help: string, pick: (d: DbSnapshot) => number) =>
    new Gauge({
      name,
      help,
      registers: [s.metrics],
      async collect() {
        this.set(pick(await snap()));
      },
    });
  gauge('kefu_db_up', 'Whether the timed probe query succeeded (1) or not (0)', (d) => d.up);
  gauge('kefu_db_probe_seconds', 'Duration of the probe query `select 1`', (d) => d.probe);
  gauge('kefu_db_size_bytes', 'Database size (SQLite file, or pg_database_size)', (d) => d.size);
  if (s.engine === 'sqlite') gauge('kefu_db_wal_bytes', 'SQLite write-ahead log size', (d) => d.wal);
  else {
    gauge('kefu_db_connections', 'PostgreSQL connections to this database', (d) => d.connections);
    gauge('kefu_db_replication_lag_seconds', 'Replay lag on a PostgreSQL replica (0 on a primary)', (d) => d.lag);
  }
}
