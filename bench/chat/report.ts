/** What a phase and a target report (also written to the --out JSON), and the per-phase printout. */
import type { longTasks, summarise } from './profile.ts';
import type { Target } from './servers.ts';
import { fmt, log, type percentiles } from './stats.ts';

export type Row = {
  sec: number;
  sent: number;
  acked: number;
  recv: number;
  errors: number;
  e2eP50: number;
  e2eP99: number;
  e2eMax: number;
  probeMaxMs: number;
  loadgenLagP99Ms: number;
  serverCpuPct: number;
  loadgenCpuPct: number;
  otherCpuPct: number;
  serverThreadsPct: Record<string, number>;
  checkpoints: number;
  walBytes: number;
  rssMB: number;
};

export type PhaseReport = {
  phase: string;
  mode: 'open' | 'closed';
  rate?: number;
  window?: number;
  seconds: number;
  sent: number;
  acked: number;
  recv: number;
  echoes: number;
  skipped: number;
  unacked: number;
  undelivered: number;
  seqGaps: number;
  seqDups: number;
  errorFrames: Record<string, number>;
  closedSockets: number;
  /** Acknowledged messages per second over the phase's seconds 2…N (the first second is ramp-up). */
  ackedPerSec: number;
  deliveredPerSec: number;
  e2e: ReturnType<typeof percentiles>;
  ack: ReturnType<typeof percentiles>;
  probeMaxMs: number;
  loadgenLagP99MaxMs: number;
  serverCpuPct: number;
  /** Two nodes: each node's CPU (% of one core), and PostgreSQL's + Redis's together. */
  nodesCpuPct?: number[];
  infraCpuPct?: number;
  serverThreadsPct: Record<string, number>;
  loadgenCpuPct: number;
  /** Server CPU time per acknowledged message, µs, all threads and by thread (less sensitive to a shared machine than rates). */
  serverCpuUsPerMsg: number;
  serverThreadUsPerMsg: Record<string, number>;
  loadgenCpuUsPerMsg: number;
  /** CPU used by processes outside the benchmark meanwhile (a shared machine), % of one core: figures are only trustworthy when it is low. */
  otherCpuPct: number;
  checkpoints: number;
  kefu?: {
    committed: number;
    batches: number;
    meanBatch: number;
    meanCommitMs: number;
    commitP50Ms: number;
    commitP99Ms: number;
    commitsOver10Ms: number;
    gcSeconds: number;
    eventLoopLagP99Ms: number;
    eventLoopLagMaxMs: number;
  };
  stall?: { lockHeldMs: number; lockWaitMs: number; startSec: number };
  /**
   * The overload phase: `burstSeconds` at `burstRate` (twice the maximum), then the steady rate.
   * RSS before the phase and its highest per-second sample; refused sends (`busy`/`rate_limited`,
   * nothing stored); how many seconds after the burst every later second's e2e p99 stayed within
   * `thresholdMs` (NaN: never within the phase).
   */
  overload?: {
    burstRate: number;
    burstSeconds: number;
    rssBeforeMB: number;
    rssMaxMB: number;
    rssGrowthPct: number;
    refused: number;
    thresholdMs: number;
    recoverySec: number;
  };
  /**
   * The same figures over the quiet seconds only: those in which, and in the second before which,
   * other processes used < 10 % CPU (this machine may be shared). Null when there were none.
   */
  quiet: { seconds: number; ackedPerSec: number; e2e: ReturnType<typeof percentiles> } | null;
  timeline: Row[];
  profiled?: boolean;
  /** Earlier runs of this phase dropped because other processes used ≥ 10 % CPU meanwhile (see --retries). */
  disturbedAttempts?: { otherCpuPct: number; ackedPerSec: number; e2eP99: number; acked: number }[];
};

export type TargetReport = {
  target: Target;
  connections: {
    shoppers: number;
    agents: number;
    probes: number;
    failed: number;
    connectMs: number;
    openFilesServer: number;
    kefuRealtimeConnections?: Record<string, number>;
  };
  setup?: { agentsMs: number; sessionsMs: number; sessionsPerSec: number };
  warmup: { conversations: number; failed: number; ms: number };
  memory: {
    rssBeforeMB: number;
    rssConnectedMB: number;
    rssSubscribedMB: number;
    rssAfterLoadMB: number;
    perConnectionKB: number;
    perConnectionSubscribedKB: number;
    heapPerConnectionKB: number;
    heapPerConnectionSubscribedKB: number;
    heapBeforeMB: number;
    heapConnectedMB: number;
    heapSubscribedMB: number;
    heapAfterLoadMB: number;
  };
  phases: PhaseReport[];
  persisted?: { messages: number; acknowledged: number; dbMB: number };
  profiles?: (ReturnType<typeof summarise> & {
    title: string;
    phase: string;
    file: string;
    longTasks?: ReturnType<typeof longTasks>;
  })[];
};

export function printPhase(target: Target, p: PhaseReport): void {
  const errs =
    Object.entries(p.errorFrames)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  log(
    `  ${target} ${p.phase} (${p.mode === 'closed' ? `closed loop, ${p.window} in flight` : `open loop, ${fmt(p.rate ?? 0)} msgs/s offered`}, ${p.seconds} s)${p.profiled ? ' [profiler on]' : ''}`,
  );
  log(
    `    acked ${fmt(p.ackedPerSec)} msgs/s, delivered ${fmt(p.deliveredPerSec)} msgs/s; sent ${fmt(p.sent)}, acked ${fmt(p.acked)}, delivered ${fmt(p.recv)}; unacked ${p.unacked}, undelivered ${p.undelivered}, skipped ${fmt(p.skipped)}, seq gaps ${p.seqGaps}, dups ${p.seqDups}, closed sockets ${p.closedSockets}, error frames: ${errs}`,
  );
  if (p.nodesCpuPct)
    log(
      `    two nodes: CPU ${p.nodesCpuPct.map((c, i) => `${'AB'[i]} ${fmt(c)} %`).join(', ')}; PostgreSQL + Redis ${fmt(p.infraCpuPct ?? NaN)} %`,
    );
  log(
    `    end-to-end ms: p50 ${fmt(p.e2e.p50, 1)}, p90 ${fmt(p.e2e.p90, 1)}, p99 ${fmt(p.e2e.p99, 1)}, max ${fmt(p.e2e.max, 1)}; ack ms: p50 ${fmt(p.ack.p50, 1)}, p99 ${fmt(p.ack.p99, 1)}, max ${fmt(p.ack.max, 1)}`,
  );
  log(
    `    CPU: server ${fmt(p.serverCpuPct)} % (${Object.entries(p.serverThreadsPct)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}), load generators ${fmt(p.loadgenCpuPct)} %, other processes ${fmt(p.otherCpuPct)} %${p.otherCpuPct > 10 ? ' (NOT a quiet machine: figures disturbed)' : ''}; probe ping max ${fmt(p.probeMaxMs, 1)} ms; generator lag p99 max ${fmt(p.loadgenLagP99MaxMs, 1)} ms`,
  );
  if (p.quiet && p.otherCpuPct >= 10)
    log(
      `    quiet seconds only (${p.quiet.seconds} of ${p.seconds}): acked ${fmt(p.quiet.ackedPerSec)} msgs/s; end-to-end ms p50 ${fmt(p.quiet.e2e.p50, 1)}, p90 ${fmt(p.quiet.e2e.p90, 1)}, p99 ${fmt(p.quiet.e2e.p99, 1)}, max ${fmt(p.quiet.e2e.max, 1)}`,
    );
  log(
    `    CPU per acked message: server ${fmt(p.serverCpuUsPerMsg)} µs (${Object.entries(p.serverThreadUsPerMsg)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), load generators ${fmt(p.loadgenCpuUsPerMsg)} µs`,
  );
  if (p.kefu) {
    log(
      `    writer: ${fmt(p.kefu.committed)} committed in ${fmt(p.kefu.batches)} batches (mean ${fmt(p.kefu.meanBatch, 1)} msgs, ${fmt(p.kefu.meanCommitMs, 2)} ms each; p50 ≤ ${fmt(p.kefu.commitP50Ms, 1)} ms, p99 ≤ ${fmt(p.kefu.commitP99Ms, 1)} ms, ${fmt(p.kefu.commitsOver10Ms)} over 10 ms); WAL checkpoints ${p.checkpoints}; GC ${fmt(p.kefu.gcSeconds, 2)} s; event-loop lag p99 ${fmt(p.kefu.eventLoopLagP99Ms, 1)} ms, max ${fmt(p.kefu.eventLoopLagMaxMs, 1)} ms`,
    );
  }
  for (const a of p.disturbedAttempts ?? [])
    log(
      `    (an earlier, disturbed run: other processes ${fmt(a.otherCpuPct)} %, acked ${fmt(a.ackedPerSec)} msgs/s, p99 ${fmt(a.e2eP99, 1)} ms)`,
    );
  if (p.stall)
    log(
      `    stall: write lock held ${fmt(p.stall.lockHeldMs)} ms from second ${p.stall.startSec} (acquired after ${fmt(p.stall.lockWaitMs, 1)} ms)`,
    );
  log('    sec   sent  acked  deliv  p50ms  p99ms  maxms probe  srv%  gen%  oth%  ckpt  walMB  rssMB');
  for (const r of p.timeline) {
    log(
      `    ${String(r.sec).padStart(3)} ${String(r.sent).padStart(6)} ${String(r.acked).padStart(6)} ${String(r.recv).padStart(6)} ${fmt(r.e2eP50, 1).padStart(6)} ${fmt(r.e2eP99, 1).padStart(6)} ${fmt(r.e2eMax, 0).padStart(6)} ${fmt(r.probeMaxMs, 0).padStart(5)} ${fmt(r.serverCpuPct).padStart(5)} ${fmt(r.loadgenCpuPct).padStart(5)} ${fmt(r.otherCpuPct).padStart(5)} ${String(r.checkpoints).padStart(5)} ${fmt(r.walBytes / 2 ** 20, 1).padStart(6)} ${fmt(r.rssMB).padStart(6)}`,
    );
  }
}
