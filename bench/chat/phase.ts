/** One phase against a running target: drives the generators, samples CPU, memory and the WAL, and sums it all up. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatOptions } from './options.ts';
import type { Loadgen } from './processes.ts';
import type { RunCommand, RunResult } from './protocol.ts';
import type { PhaseReport, Row } from './report.ts';
import { commitHistogram, metric, metricsOf, walCheckpointSeq } from './sampling.ts';
import type { Server } from './servers.ts';
import { cpuSeconds, safeCpuSeconds, ForeignCpu, percentiles, rssBytes, sleep, threadCpuSeconds } from './stats.ts';

export async function runPhase(
  server: Server,
  gens: { g: Loadgen; shoppers: number }[],
  totalShoppers: number,
  cmd: Omit<RunCommand, 'type'>,
  o: ChatOptions,
  during?: { atMs: number; action: () => Promise<PhaseReport['stall']> },
): Promise<PhaseReport> {
  const ticks = new Map<
    number,
    {
      sent: number;
      acked: number;
      recv: number;
      errors: number;
      e2e: Float64Array[];
      ack: Float64Array[];
      probeMaxMs: number;
      lagP99Ms: number;
    }
  >();
  for (const { g } of gens) {
    g.onTick = (t) => {
      if (t.phase !== cmd.phase) return;
      const s = ticks.get(t.sec) ?? {
        sent: 0,
        acked: 0,
        recv: 0,
        errors: 0,
        e2e: [],
        ack: [],
        probeMaxMs: 0,
        lagP99Ms: 0,
      };
      s.sent += t.sent;
      s.acked += t.acked;
      s.recv += t.recv;
      s.errors += t.errors;
      s.e2e.push(t.e2e);
      s.ack.push(t.ack);
      s.probeMaxMs = Math.max(s.probeMaxMs, t.probeMaxMs);
      s.lagP99Ms = Math.max(s.lagP99Ms, t.lagP99Ms);
      ticks.set(t.sec, s);
    };
  }
  const wal = server.dataDir ? join(server.dataDir, 'kefu.db-wal') : null;
  const pids = gens.map(({ g }) => g.proc.pid!);
  // Two nodes: the server's CPU is both nodes'; PostgreSQL's and Redis's is counted apart, not as another tenant's.
  const nodePids = server.nodes?.map((n) => n.pid) ?? [server.pid];
  const serverCpu = () => nodePids.reduce((a, p) => a + cpuSeconds(p), 0);
  const infraCpu = () => (server.infraPids?.() ?? []).reduce((a, p) => a + safeCpuSeconds(p), 0);
  const nodeCpu0 = nodePids.map(cpuSeconds);
  const infra0 = infraCpu();
  const foreign = new ForeignCpu(() => [process.pid, ...nodePids, ...(server.infraPids?.() ?? []), ...pids]);
  const samples: {
    serverCpuPct: number;
    loadgenCpuPct: number;
    otherCpuPct: number;
    threads: Record<string, number>;
    checkpoints: number;
    walBytes: number;
    rssMB: number;
  }[] = [];
  const m0 = await metricsOf(server);
  if (server.target === 'kefu') await sleep(500); // a scrape blocks Kefu's event loop for tens of ms with 10k sockets: let it pass
  let last = {
    t: performance.now(),
    server: serverCpu(),
    threads: threadCpuSeconds(server.pid),
    gens: pids.reduce((a, p) => a + cpuSeconds(p), 0),
  };
  const first = last;
  let ckptSeq = wal ? walCheckpointSeq(wal) : null;
  let ckpts = 0;
  const walTimer = wal
    ? setInterval(() => {
        const seq = walCheckpointSeq(wal);
        if (seq !== null && ckptSeq !== null && seq !== ckptSeq) ckpts++;
        if (seq !== null) ckptSeq = seq;
      }, 100)
    : undefined;
  const sampler = setInterval(() => {
    const now = {
      t: performance.now(),
      server: serverCpu(),
      threads: threadCpuSeconds(server.pid),
      gens: pids.reduce((a, p) => a + cpuSeconds(p), 0),
    };
    const dt = (now.t - last.t) / 1000;
    const threads: Record<string, number> = {};
    for (const [k, v] of Object.entries(now.threads))
      threads[k] = Math.round((100 * (v - (last.threads[k] ?? 0))) / dt);
    samples.push({
      serverCpuPct: (100 * (now.server - last.server)) / dt,
      loadgenCpuPct: (100 * (now.gens - last.gens)) / dt,
      otherCpuPct: foreign.sample(),
      threads,
      checkpoints: ckpts,
      walBytes: wal && existsSync(wal) ? statSync(wal).size : 0,
      rssMB: nodePids.reduce((a, p) => a + rssBytes(p), 0) / 2 ** 20,
    });
    ckpts = 0;
    last = now;
  }, 1000);
  let stall: PhaseReport['stall'];
  let duringError: unknown;
  const duringDone = during
    ? sleep(during.atMs)
        .then(during.action)
        .then(
          (s) => void (stall = s),
          (err: unknown) => void (duringError = err),
        )
    : Promise.resolve();
  let results: RunResult[];
  try {
    results = await Promise.all(
      gens.map(({ g, shoppers }) => {
        const share = shoppers / totalShoppers;
        return g.request(
          {
            type: 'run',
            ...cmd,
            ...(cmd.rate !== undefined ? { rate: cmd.rate * share } : {}),
            ...(cmd.burst ? { burst: { rate: cmd.burst.rate * share, seconds: cmd.burst.seconds } } : {}),
            ...(cmd.window !== undefined ? { window: Math.max(1, Math.round(cmd.window * share)) } : {}),
          },
          'ran',
          cmd.seconds * 1000 + cmd.graceMs + 30_000,
        );
      }),
    );
    await duringDone;
    if (duringError) throw duringError;
  } finally {
    clearInterval(sampler);
    clearInterval(walTimer);
  }
  const m1 = await metricsOf(server);
  const end = {
    t: performance.now(),
    server: serverCpu(),
    threads: threadCpuSeconds(server.pid),
    gens: pids.reduce((a, p) => a + cpuSeconds(p), 0),
  };
  const wallS = (end.t - first.t) / 1000;
  const nodesCpuPct = server.nodes ? nodePids.map((p, i) => (100 * (cpuSeconds(p) - nodeCpu0[i])) / wallS) : undefined;
  const infraCpuPct = server.infraPids ? (100 * (infraCpu() - infra0)) / wallS : undefined;
  const sum = <K extends keyof RunResult>(k: K) => results.reduce((a, r) => a + (r[k] as number), 0);
  const errorFrames: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.errorFrames)) errorFrames[k] = (errorFrames[k] ?? 0) + v;
  const secs = [...ticks.keys()].sort((a, b) => a - b);
  const all = (k: 'e2e' | 'ack') => {
    const parts = secs.flatMap((s) => ticks.get(s)![k]);
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  };
  const window = secs.filter((s) => s >= (cmd.seconds >= 3 ? 2 : 1) && s <= cmd.seconds);
  const rate = (k: 'acked' | 'recv') => window.reduce((a, s) => a + ticks.get(s)![k], 0) / Math.max(1, window.length);
  const timeline: Row[] = secs.map((s, i) => {
    const t = ticks.get(s)!;
    const e2e = percentiles(Float64Array.from(t.e2e.flatMap((a) => [...a])));
    const smp = samples[i];
    return {
      sec: s,
      sent: t.sent,
      acked: t.acked,
      recv: t.recv,
      errors: t.errors,
      e2eP50: e2e.p50,
      e2eP99: e2e.p99,
      e2eMax: e2e.max,
      probeMaxMs: t.probeMaxMs,
      loadgenLagP99Ms: t.lagP99Ms,
      serverCpuPct: smp?.serverCpuPct ?? NaN,
      loadgenCpuPct: smp?.loadgenCpuPct ?? NaN,
      otherCpuPct: smp?.otherCpuPct ?? NaN,
      serverThreadsPct: smp?.threads ?? {},
      checkpoints: smp?.checkpoints ?? 0,
      walBytes: smp?.walBytes ?? 0,
      rssMB: smp?.rssMB ?? NaN,
    };
  });
  const threadsPct: Record<string, number> = {};
  const threadUs: Record<string, number> = {};
  const acked = results.reduce((a, r) => a + r.acked, 0);
  for (const [k, v] of Object.entries(end.threads)) {
    const pct = Math.round((100 * (v - (first.threads[k] ?? 0))) / wallS);
    if (pct > 0) threadsPct[k] = pct;
    if (v - (first.threads[k] ?? 0) > 0) threadUs[k] = Math.round(((v - (first.threads[k] ?? 0)) * 1e6) / acked);
  }
  const quietSecs = window.filter((sec) => {
    const i = secs.indexOf(sec);
    return timeline[i]?.otherCpuPct < 10 && (i === 0 || timeline[i - 1]?.otherCpuPct < 10);
  });
  const quiet = quietSecs.length
    ? {
        seconds: quietSecs.length,
        ackedPerSec: quietSecs.reduce((a, sec) => a + ticks.get(sec)!.acked, 0) / quietSecs.length,
        e2e: percentiles(Float64Array.from(quietSecs.flatMap((sec) => ticks.get(sec)!.e2e.flatMap((a) => [...a])))),
      }
    : null;
  const lagP99 = m1.get('kefu_nodejs_eventloop_lag_p99_seconds');
  const lagMax = m1.get('kefu_nodejs_eventloop_lag_max_seconds');
  return {
    phase: cmd.phase,
    mode: cmd.mode,
    rate: cmd.rate,
    window: cmd.window,
    seconds: cmd.seconds,
    sent: sum('sent'),
    acked: sum('acked'),
    recv: sum('recv'),
    echoes: sum('echoes'),
    skipped: sum('skipped'),
    unacked: sum('unacked'),
    undelivered: sum('undelivered'),
    seqGaps: sum('seqGaps'),
    seqDups: sum('seqDups'),
    errorFrames,
    closedSockets: sum('closedSockets'),
    ackedPerSec: rate('acked'),
    deliveredPerSec: rate('recv'),
    e2e: percentiles(all('e2e')),
    ack: percentiles(all('ack')),
    probeMaxMs: Math.max(0, ...timeline.map((r) => r.probeMaxMs)),
    loadgenLagP99MaxMs: Math.max(0, ...timeline.map((r) => r.loadgenLagP99Ms)),
    serverCpuPct: (100 * (end.server - first.server)) / wallS,
    ...(nodesCpuPct ? { nodesCpuPct } : {}),
    ...(infraCpuPct !== undefined ? { infraCpuPct } : {}),
    serverThreadsPct: threadsPct,
    loadgenCpuPct: (100 * (end.gens - first.gens)) / wallS,
    serverCpuUsPerMsg: ((end.server - first.server) * 1e6) / acked,
    serverThreadUsPerMsg: threadUs,
    loadgenCpuUsPerMsg: ((end.gens - first.gens) * 1e6) / acked,
    otherCpuPct: samples.length ? samples.reduce((a, s) => a + s.otherCpuPct, 0) / samples.length : NaN,
    checkpoints: samples.reduce((a, s) => a + s.checkpoints, 0),
    ...(server.target === 'kefu'
      ? {
          kefu: {
            committed:
              metric(m1, 'kefu_chat_messages_committed_total') - metric(m0, 'kefu_chat_messages_committed_total'),
            batches: metric(m1, 'kefu_chat_commit_batch_size_count') - metric(m0, 'kefu_chat_commit_batch_size_count'),
            meanBatch:
              (metric(m1, 'kefu_chat_commit_batch_size_sum') - metric(m0, 'kefu_chat_commit_batch_size_sum')) /
              (metric(m1, 'kefu_chat_commit_batch_size_count') - metric(m0, 'kefu_chat_commit_batch_size_count')),
            ...commitHistogram(m0, m1),
            meanCommitMs:
              (1000 *
                (metric(m1, 'kefu_chat_commit_duration_seconds_sum') -
                  metric(m0, 'kefu_chat_commit_duration_seconds_sum'))) /
              (metric(m1, 'kefu_chat_commit_duration_seconds_count') -
                metric(m0, 'kefu_chat_commit_duration_seconds_count')),
            gcSeconds:
              metric(m1, 'kefu_nodejs_gc_duration_seconds_sum') - metric(m0, 'kefu_nodejs_gc_duration_seconds_sum'),
            eventLoopLagP99Ms: lagP99 === undefined ? NaN : lagP99 * 1000,
            eventLoopLagMaxMs: lagMax === undefined ? NaN : lagMax * 1000,
          },
        }
      : {}),
    ...(stall ? { stall } : {}),
    quiet,
    timeline,
  };
}

/** The closed-loop phase with the highest acknowledged throughput. */
export function bestMax(phases: PhaseReport[]): PhaseReport | undefined {
  return phases.filter((p) => p.mode === 'closed').sort((a, b) => b.ackedPerSec - a.ackedPerSec)[0];
}
