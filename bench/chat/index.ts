/**
 * `npm run bench -- chat [options]`: the chat benchmark (options: bench/chat/options.ts, notes: bench/chat/README.md).
 *
 * Real topology, real protocol: S shoppers with one WebSocket each and A agent connections each
 * serving S/A conversations, driven by load-generator child processes (loadgen.ts) pinned to one
 * core while the server is pinned to the other. Kefu runs as its CLI process on SQLite in a fresh
 * data folder, so every message is committed before it is acknowledged. In the same run the
 * same generators drive a minimal raw-`ws` relay (raw-relay.ts: no persistence, same topology),
 * the reference for what this machine can relay at all, and Kefu's throughput is given as a ratio of it.
 *
 * Phases per target: connect (server memory per connection), warm-up (each shopper's first
 * message creates its conversation; its agent subscribes), closed loop (a fixed number of
 * messages in flight: the maximum sustained acknowledged throughput), steady open loop (a fixed
 * rate, by default half that maximum: latency), and for Kefu a stall phase (the SQLite write lock
 * is held from outside, as a long checkpoint or a slow disk would, while the probe connection
 * checks that the event loop keeps answering).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { freePort, startKefuProcess, type KefuProcess } from '../../src/server/testing/spawn.ts';
import { parseOptions, type ChatOptions } from './options.ts';
import { heapAfterGc, longTasks, startProfiler, summarise, saveProfile } from './profile.ts';
import type { LoadgenMessage, ParentMessage, RunCommand, RunResult, Tick } from './protocol.ts';
import { setupKefu, type KefuSetup } from './setup.ts';
import {
  cpuSeconds,
  fmt,
  ForeignCpu,
  openFileLimit,
  openFiles,
  parseMetrics,
  percentiles,
  rssBytes,
  sleep,
  threadCpuSeconds,
} from './stats.ts';

const loadgenFile = fileURLToPath(new URL('./loadgen.ts', import.meta.url));
const rawRelayFile = fileURLToPath(new URL('./raw-relay.ts', import.meta.url));
const socketsPerLoadgen = 6000;
const lifetimeMs = 60 * 60_000;
const log = (s: string) => console.log(s);

type Target = 'kefu' | 'raw';

/** Every child process started, killed when this process exits whatever the reason (a normal end stops them first). */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** One load-generator child process and its IPC requests. */
class Loadgen {
  readonly proc: ChildProcess;
  onTick: (t: Tick) => void = () => {};
  private waiter: { type: string; resolve: (m: LoadgenMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(cpu: number) {
    this.proc = spawn('taskset', ['-c', String(cpu), process.execPath, loadgenFile], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    children.add(this.proc);
    this.proc.on('message', (m: LoadgenMessage) => {
      if (m.type === 'tick') return this.onTick(m);
      if (m.type === 'fatal') return this.fail(new Error(`load generator failed: ${m.error}`));
      if (this.waiter?.type === m.type) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(m);
      }
    });
    this.proc.on('exit', (code, signal) => this.fail(new Error(`load generator exited (${code ?? signal})`)));
    this.proc.on('error', (err) => this.fail(err));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiter?.reject(err);
    this.waiter = null;
  }

  request<T extends LoadgenMessage['type']>(
    msg: ParentMessage | null,
    reply: T,
    timeoutMs: number,
  ): Promise<Extract<LoadgenMessage, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`load generator: no '${reply}' within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.waiter = {
        type: reply,
        resolve: (m) => (clearTimeout(timer), resolve(m as Extract<LoadgenMessage, { type: T }>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      if (msg) this.proc.send(msg);
    });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    try {
      if (this.proc.connected) this.proc.send({ type: 'close' } satisfies ParentMessage);
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}

type Server = {
  target: Target;
  pid: number;
  wsUrl: string;
  httpUrl: string;
  dataDir?: string;
  inspectPort: number;
  stop(): Promise<void>;
};

async function startTarget(
  target: Target,
  o: ChatOptions,
  shoppers: number,
): Promise<{ server: Server; setup?: KefuSetup }> {
  if (target === 'kefu') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-chat-'));
    // The inspector (loopback only) lets the benchmark force a GC before reading the heap, and profile.
    const inspectPort = await freePort();
    const env: Record<string, string> = {
      KEFU_LOGIN_RATE_PER_MINUTE: '10000',
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${inspectPort} ${o.serverNodeOptions}`.trim(),
    };
    let k: KefuProcess | undefined;
    try {
      k = await startKefuProcess({ dataDir, cpu: o.serverCpu, env });
      children.add(k.proc);
      const setup = await setupKefu(k.url, { shoppers, agents: o.agents, log: (s) => log(`  ${s}`) });
      // A fresh process on the prepared data: its memory before and after the connections compares with the relay's.
      await k.stop();
      k = await startKefuProcess({ dataDir, cpu: o.serverCpu, env });
      children.add(k.proc);
      log(`  Kefu restarted on the prepared data (ready in ${fmt(k.readyMs)} ms)`);
      const kp = k;
      return {
        setup,
        server: {
          target,
          pid: kp.proc.pid!,
          httpUrl: kp.url,
          wsUrl: kp.url.replace('http', 'ws'),
          dataDir,
          inspectPort,
          async stop() {
            await kp.stop();
            if (o.serverNodeOptions) {
              const dir = join(dirname(fileURLToPath(import.meta.url)), 'profiles');
              mkdirSync(dir, { recursive: true });
              const file = join(dir, `kefu-output-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
              writeFileSync(file, kp.output());
              log(`  Kefu's output (${o.serverNodeOptions}) saved to ${file}`);
            }
            rmSync(dataDir, { recursive: true, force: true });
          },
        },
      };
    } catch (err) {
      await k?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  const inspectPort = await freePort();
  const proc = spawn(
    'taskset',
    ['-c', String(o.serverCpu), process.execPath, `--inspect=127.0.0.1:${inspectPort}`, rawRelayFile],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KEFU_BENCH_LIFETIME_MS: String(lifetimeMs) } },
  );
  children.add(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000))); // the inspector's notices; shown if it fails
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('raw relay did not start within 10 s')), 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => reject(new Error(`raw relay exited with ${code}: ${stderr}`)));
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    server: {
      target,
      pid: proc.pid!,
      httpUrl,
      wsUrl: httpUrl.replace('http', 'ws'),
      inspectPort,
      async stop() {
        if (proc.exitCode === null) proc.kill('SIGTERM');
        await exited;
      },
    },
  };
}

async function metricsOf(s: Server): Promise<Map<string, number>> {
  if (s.target !== 'kefu') return new Map();
  try {
    return parseMetrics(await (await fetch(`${s.httpUrl}/metrics`)).text());
  } catch {
    return new Map();
  }
}

const metric = (m: Map<string, number>, prefix: string) => {
  let sum = 0;
  let found = false;
  for (const [k, v] of m) {
    if (k === prefix || k.startsWith(`${prefix}{`)) {
      sum += v;
      found = true;
    }
  }
  return found ? sum : NaN;
};

/** RSS once it has settled: the last of a few samples 500 ms apart. */
async function settledRss(pid: number): Promise<number> {
  let last = rssBytes(pid);
  for (let i = 0; i < 6; i++) {
    await sleep(500);
    const r = rssBytes(pid);
    if (Math.abs(r - last) < 256 * 1024) return r;
    last = r;
  }
  return last;
}

/** The checkpoint sequence number in the WAL header: it changes each time a checkpoint lets SQLite restart the WAL. */
function walCheckpointSeq(file: string): number | null {
  try {
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(16);
      return readSync(fd, b, 0, 16, 0) === 16 ? b.readUInt32BE(12) : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Runs a phase again (up to --retries times, after waiting for a quiet machine) while other
 * processes used ≥ 10 % CPU during it; keeps the least disturbed run and notes the others.
 */
async function retried(
  o: ChatOptions,
  ours: () => number[],
  what: string,
  profiling: boolean,
  run: () => Promise<PhaseReport>,
): Promise<PhaseReport> {
  const runs = [await run()];
  // A profile covers one run only: no retries then.
  while (!profiling && runs.length <= o.retries && runs.at(-1)!.otherCpuPct >= 10) {
    const r = runs.at(-1)!;
    log(
      `  (${what} was disturbed: other processes used ${fmt(r.otherCpuPct)} % CPU; it gave ${fmt(r.ackedPerSec)} acked msgs/s, p99 ${fmt(r.e2e.p99, 1)} ms; running it again)`,
    );
    await waitForQuiet(ours, o, what);
    runs.push(await run());
  }
  runs.sort((a, b) => a.otherCpuPct - b.otherCpuPct);
  const [best, ...rest] = runs;
  if (rest.length)
    best.disturbedAttempts = rest.map((r) => ({
      otherCpuPct: r.otherCpuPct,
      ackedPerSec: r.ackedPerSec,
      e2eP99: r.e2e.p99,
      acked: r.acked,
    }));
  return best;
}

/** Waits (bounded) until processes outside the benchmark use little CPU: this machine may be shared. */
async function waitForQuiet(ours: () => number[], o: ChatOptions, what: string): Promise<void> {
  if (o.quietWait <= 0) return;
  const foreign = new ForeignCpu(ours);
  const deadline = performance.now() + o.quietWait * 1000;
  let said = false;
  for (;;) {
    await sleep(1000);
    const pct = foreign.sample();
    if (pct < 10) return;
    if (performance.now() > deadline)
      return log(
        `  (other processes still use ${fmt(pct)} % CPU; going on with ${what} after waiting ${o.quietWait} s)`,
      );
    if (!said)
      log(
        `  (other processes use ${fmt(pct)} % CPU; waiting up to ${o.quietWait} s for a quiet machine before ${what})`,
      );
    said = true;
  }
}

type Row = {
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
   * The same figures over the quiet seconds only: those in which, and in the second before which,
   * other processes used < 10 % CPU (this machine may be shared). Null when there were none.
   */
  quiet: { seconds: number; ackedPerSec: number; e2e: ReturnType<typeof percentiles> } | null;
  timeline: Row[];
  profiled?: boolean;
  /** Earlier runs of this phase dropped because other processes used ≥ 10 % CPU meanwhile (see --retries). */
  disturbedAttempts?: { otherCpuPct: number; ackedPerSec: number; e2eP99: number; acked: number }[];
};

async function runPhase(
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
  const foreign = new ForeignCpu(() => [process.pid, server.pid, ...pids]);
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
    server: cpuSeconds(server.pid),
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
      server: cpuSeconds(server.pid),
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
      rssMB: rssBytes(server.pid) / 2 ** 20,
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
    server: cpuSeconds(server.pid),
    threads: threadCpuSeconds(server.pid),
    gens: pids.reduce((a, p) => a + cpuSeconds(p), 0),
  };
  const wallS = (end.t - first.t) / 1000;
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

async function saveProfiles(
  profiler: Awaited<ReturnType<typeof startProfiler>>,
  p: PhaseReport,
): Promise<NonNullable<TargetReport['profiles']>> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'profiles');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  p.profiled = true;
  return (await profiler.stop()).map(({ title, profile: prof }, i) => {
    const file = join(dir, `kefu-${p.phase}-${stamp}-${i === 0 ? 'main' : `worker${i}`}.cpuprofile`);
    saveProfile(file, prof);
    return { title, phase: p.phase, file, ...summarise(prof), ...(i === 0 ? { longTasks: longTasks(prof, 20) } : {}) };
  });
}

/** The closed-loop phase with the highest acknowledged throughput. */
function bestMax(phases: PhaseReport[]): PhaseReport | undefined {
  return phases.filter((p) => p.mode === 'closed').sort((a, b) => b.ackedPerSec - a.ackedPerSec)[0];
}

/** Commit durations of a phase from the writer's histogram (bucket bounds: the quantiles are upper bounds). */
function commitHistogram(
  m0: Map<string, number>,
  m1: Map<string, number>,
): { commitP50Ms: number; commitP99Ms: number; commitsOver10Ms: number } {
  const buckets: { le: number; n: number }[] = [];
  for (const [k, v] of m1) {
    const m = /^kefu_chat_commit_duration_seconds_bucket\{le="([^"]+)"\}$/.exec(k);
    if (m) buckets.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), n: v - (m0.get(k) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.n ?? 0;
  const q = (p: number) => (buckets.find((b) => b.n >= p * total)?.le ?? NaN) * 1000;
  const at10 = buckets.find((b) => b.le >= 0.01)?.n ?? total;
  return { commitP50Ms: q(0.5), commitP99Ms: q(0.99), commitsOver10Ms: total - at10 };
}

function printPhase(target: Target, p: PhaseReport): void {
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

async function runTarget(
  target: Target,
  o: ChatOptions,
  steadyRates: number[] | undefined,
  cleanups: (() => Promise<void>)[],
): Promise<TargetReport> {
  log(
    `\n### ${target === 'kefu' ? 'Kefu (SQLite, every message committed before its ack)' : 'raw ws relay (reference: no persistence)'}`,
  );
  // One load generator per 6,000 connections, each with one probe connection (a widget session of its own).
  const P = o.procs ?? Math.max(1, Math.ceil((o.shoppers + o.agents) / socketsPerLoadgen));
  const { server, setup } = await startTarget(target, o, o.shoppers + P);
  cleanups.push(() => server.stop());

  // Groups: contiguous agents; a shopper goes with the agent that serves it.
  const agentOfShopper = (i: number) => Math.floor((i * o.agents) / o.shoppers);
  const gens: { g: Loadgen; shoppers: number }[] = [];
  for (let p = 0; p < P; p++) {
    const a0 = Math.floor((p * o.agents) / P);
    const a1 = Math.floor(((p + 1) * o.agents) / P);
    const mine: number[] = [];
    for (let i = 0; i < o.shoppers; i++) if (agentOfShopper(i) >= a0 && agentOfShopper(i) < a1) mine.push(i);
    const g = new Loadgen(o.loadgenCpu);
    cleanups.push(() => g.close());
    const shopperUrl = (i: number) => `${server.wsUrl}/ws?widget=${setup ? setup.shopperTokens[i] : `raw${i}`}`;
    const ready = g.request(
      {
        type: 'init',
        index: p,
        shopperUrls: mine.map(shopperUrl),
        agentUrl: `${server.wsUrl}/ws`,
        agentHeaders: Array.from({ length: a1 - a0 }, (_, k): Record<string, string> =>
          setup ? { cookie: setup.agentCookies[a0 + k] } : {},
        ),
        agentOf: mine.map((i) => agentOfShopper(i) - a0),
        inboxUpdates: o.inboxUpdates,
        probeUrl: shopperUrl(o.shoppers + p),
        bodyBytes: o.bodyBytes,
        connectConcurrency: 100,
        lifetimeMs,
      },
      'ready',
      30_000,
    );
    const r = await ready;
    if (p === 0)
      log(
        `  load generators: ${P} process(es) pinned to core ${o.loadgenCpu}, open-file limit ${r.fdLimit.soft} (hard ${r.fdLimit.hard}); server pid ${server.pid} pinned to core ${o.serverCpu}, open-file limit ${openFileLimit(server.pid).soft}`,
      );
    gens.push({ g, shoppers: mine.length });
  }

  const ours = () => [process.pid, server.pid, ...gens.map(({ g }) => g.proc.pid!)];
  await waitForQuiet(ours, o, 'connecting');
  // Memory: a full GC (through the inspector) before each reading, so both readings are alike.
  const heap0 = await heapAfterGc(server.inspectPort);
  const rss0 = await settledRss(server.pid);
  const connected = await Promise.all(gens.map(({ g }) => g.request({ type: 'connect' }, 'connected', 300_000)));
  const conn = {
    shoppers: connected.reduce((a, c) => a + c.shoppers, 0),
    agents: connected.reduce((a, c) => a + c.agents, 0),
    probes: P,
    failed: connected.reduce((a, c) => a + c.failed, 0),
    connectMs: Math.max(...connected.map((c) => c.ms)),
  };
  const errors = connected.flatMap((c) => c.firstErrors);
  await sleep(2000);
  const heap1 = await heapAfterGc(server.inspectPort);
  const rss1 = await settledRss(server.pid);
  const m1 = await metricsOf(server);
  const kefuConns =
    target === 'kefu'
      ? {
          agent: m1.get('kefu_realtime_connections{kind="agent"}') ?? NaN,
          customer: m1.get('kefu_realtime_connections{kind="customer"}') ?? NaN,
        }
      : undefined;
  const total = conn.shoppers + conn.agents + P;
  const serverFds = openFiles(server.pid);
  log(
    `  connected ${fmt(conn.shoppers)} shoppers + ${fmt(conn.agents)} agents + ${P} probe(s) in ${(conn.connectMs / 1000).toFixed(1)} s; failed ${conn.failed}${errors.length ? ` (${errors.join('; ')})` : ''}; server open files ${serverFds}${kefuConns ? `; kefu_realtime_connections agent=${kefuConns.agent} customer=${kefuConns.customer}` : ''}`,
  );
  log(
    `  server RSS ${fmt(rss0 / 2 ** 20, 1)} MB before connecting, ${fmt(rss1 / 2 ** 20, 1)} MB with all connected and idle: ${fmt((rss1 - rss0) / total / 1024, 1)} KB per connection (JS heap after GC: ${fmt((heap1 - heap0) / total / 1024, 1)} KB per connection)`,
  );

  const warmed = await Promise.all(
    gens.map(({ g }) => g.request({ type: 'warmup', concurrency: 200 }, 'warmed', 600_000)),
  );
  const warm = {
    conversations: warmed.reduce((a, w) => a + w.conversations, 0),
    failed: warmed.reduce((a, w) => a + w.failed, 0),
    ms: Math.max(...warmed.map((w) => w.ms)),
  };
  await sleep(2000);
  const heap2 = await heapAfterGc(server.inspectPort);
  const rss2 = await settledRss(server.pid);
  log(
    `  warm-up: ${fmt(warm.conversations)} conversations created and subscribed in ${(warm.ms / 1000).toFixed(1)} s, failed ${warm.failed}${warmed
      .flatMap((w) => w.firstErrors)
      .slice(0, 3)
      .map((e) => ` (${e})`)
      .join(
        '',
      )}; RSS ${fmt(rss2 / 2 ** 20, 1)} MB: ${fmt((rss2 - rss0) / total / 1024, 1)} KB per connection with its conversation (JS heap after GC: ${fmt((heap2 - heap0) / total / 1024, 1)} KB)`,
  );

  const phases: PhaseReport[] = [];
  let profiles: TargetReport['profiles'];
  const grace = 10_000;
  for (const [k, w] of (o.max ? o.windows : []).entries()) {
    await waitForQuiet(ours, o, 'the closed-loop phase');
    const profiler =
      target === 'kefu' && o.cpuProf === 'max' && k === 0 ? await startProfiler(server.inspectPort) : null;
    const window = Math.min(w, o.shoppers);
    const p = await retried(o, ours, 'the closed-loop phase', profiler !== null, () =>
      runPhase(
        server,
        gens,
        o.shoppers,
        {
          phase: `max-w${window}`,
          mode: 'closed',
          window,
          seconds: o.maxDuration,
          maxInflightPerShopper: 1_000_000,
          graceMs: grace,
        },
        o,
      ),
    );
    if (profiler) profiles = await saveProfiles(profiler, p);
    phases.push(p);
    printPhase(target, p);
    await sleep(1000);
  }
  const best = bestMax(phases);
  if (best && o.windows.length > 1)
    log(`  maximum: ${fmt(best.ackedPerSec)} acked msgs/s with ${best.window} in flight`);
  const rates = (steadyRates ?? o.rates ?? [best!.ackedPerSec / 2]).map((r) => Math.max(1, Math.round(r)));
  for (const [k, r] of rates.entries()) {
    await waitForQuiet(ours, o, 'the steady phase');
    const profiler =
      target === 'kefu' && o.cpuProf === 'steady' && k === 0 ? await startProfiler(server.inspectPort) : null;
    const steady = await retried(o, ours, 'the steady phase', profiler !== null, () =>
      runPhase(
        server,
        gens,
        o.shoppers,
        {
          phase: k === 0 ? 'steady' : `steady-r${r}`,
          mode: 'open',
          rate: r,
          seconds: o.duration,
          maxInflightPerShopper: 20,
          graceMs: grace,
        },
        o,
      ),
    );
    if (profiler) profiles = await saveProfiles(profiler, steady);
    phases.push(steady);
    printPhase(target, steady);
  }
  const rate = rates[0];

  if (target === 'kefu' && o.stallMs > 0 && server.dataDir) {
    await waitForQuiet(ours, o, 'the stall phase');
    const file = join(server.dataDir, 'kefu.db');
    const startSec = Math.max(1, Math.floor(o.stallSeconds / 3));
    const p = await runPhase(
      server,
      gens,
      o.shoppers,
      { phase: 'stall', mode: 'open', rate, seconds: o.stallSeconds, maxInflightPerShopper: 1_000_000, graceMs: grace },
      o,
      {
        atMs: startSec * 1000,
        action: async () => {
          const db = new DatabaseSync(file, { timeout: 5000 });
          try {
            const t0 = performance.now();
            db.exec('BEGIN IMMEDIATE');
            const lockWaitMs = performance.now() - t0;
            const t1 = performance.now();
            await sleep(o.stallMs);
            db.exec('COMMIT');
            return { lockHeldMs: performance.now() - t1, lockWaitMs, startSec };
          } finally {
            db.close();
          }
        },
      },
    );
    phases.push(p);
    printPhase(target, p);
  }

  await sleep(1000);
  const heap3 = await heapAfterGc(server.inspectPort);
  const rss3 = await settledRss(server.pid);
  log(
    `  after the load: RSS ${fmt(rss3 / 2 ** 20, 1)} MB, JS heap after GC ${fmt(heap3 / 2 ** 20, 1)} MB (${fmt((heap3 - heap2) / 2 ** 20, 1)} MB more than after the warm-up)`,
  );
  let persisted: TargetReport['persisted'];
  if (server.dataDir) {
    const db = new DatabaseSync(join(server.dataDir, 'kefu.db'), { readOnly: true, timeout: 5000 });
    try {
      const n = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      const dbBytes = ['kefu.db', 'kefu.db-wal'].reduce(
        (a, f) => a + (existsSync(join(server.dataDir!, f)) ? statSync(join(server.dataDir!, f)).size : 0),
        0,
      );
      persisted = {
        messages: n,
        acknowledged:
          warm.conversations +
          phases.reduce((a, p) => a + p.acked + (p.disturbedAttempts ?? []).reduce((x, d) => x + d.acked, 0), 0),
        dbMB: dbBytes / 2 ** 20,
      };
      log(
        `  persisted: ${fmt(n)} messages in the database for ${fmt(persisted.acknowledged)} acknowledged (warm-up and repeated phases included); database + WAL ${fmt(persisted.dbMB, 1)} MB`,
      );
    } finally {
      db.close();
    }
  }
  for (const { g } of gens) await g.close();
  await server.stop();
  return {
    target,
    connections: { ...conn, openFilesServer: serverFds, ...(kefuConns ? { kefuRealtimeConnections: kefuConns } : {}) },
    ...(setup
      ? {
          setup: {
            agentsMs: setup.agentsMs,
            sessionsMs: setup.sessionsMs,
            sessionsPerSec: o.shoppers / (setup.sessionsMs / 1000),
          },
        }
      : {}),
    warmup: warm,
    memory: {
      rssBeforeMB: rss0 / 2 ** 20,
      rssConnectedMB: rss1 / 2 ** 20,
      rssSubscribedMB: rss2 / 2 ** 20,
      rssAfterLoadMB: rss3 / 2 ** 20,
      perConnectionKB: (rss1 - rss0) / total / 1024,
      perConnectionSubscribedKB: (rss2 - rss0) / total / 1024,
      heapPerConnectionKB: (heap1 - heap0) / total / 1024,
      heapPerConnectionSubscribedKB: (heap2 - heap0) / total / 1024,
      heapBeforeMB: heap0 / 2 ** 20,
      heapConnectedMB: heap1 / 2 ** 20,
      heapSubscribedMB: heap2 / 2 ** 20,
      heapAfterLoadMB: heap3 / 2 ** 20,
    },
    phases,
    ...(persisted ? { persisted } : {}),
    ...(profiles ? { profiles } : {}),
  };
}

export async function chat(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const cores = availableParallelism();
  // The parent (setup over HTTP, sampling) runs on the generators' core, never on the server's.
  spawnSync('taskset', ['-a', '-p', '-c', String(o.loadgenCpu), String(process.pid)], { stdio: 'ignore' });
  const fd = openFileLimit();
  log(
    `machine: ${cores} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, open-file limit per process ${fd.soft} (hard ${fd.hard})`,
  );
  log(
    `parameters: ${fmt(o.shoppers)} shoppers, ${fmt(o.agents)} agents (${fmt(o.shoppers / o.agents, 1)} conversations each), body ${o.bodyBytes} bytes, closed loop ${o.max ? `${o.windows.join(', ')} in flight for ${o.maxDuration} s` : 'skipped'}, steady ${o.rates ? `${o.rates.map((r) => fmt(r)).join(', ')} msgs/s` : 'half the maximum'} for ${o.duration} s${o.inboxUpdates ? ', agents watch inbox rows' : ''}`,
  );
  if (o.shoppers + o.agents + 100 > fd.soft)
    log(`  note: ${o.shoppers + o.agents} connections on the server: near or over its open-file limit ${fd.soft}`);
  const cleanups: (() => Promise<void>)[] = [];
  const started = new Date().toISOString();
  const reports: TargetReport[] = [];
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const sig of signals) process.once(sig, onSignal);
  // Whatever happens, the benchmark ends within the hour (the 'exit' handler kills what is left).
  const watchdog = setTimeout(() => {
    console.error('chat benchmark: still running after 60 minutes; stopping');
    void stopAll().finally(() => process.exit(1));
  }, 60 * 60_000);
  watchdog.unref();
  try {
    if (o.only !== 'raw') {
      reports.push(await runTarget('kefu', o, undefined, cleanups));
      await stopAll();
    }
    if (o.only !== 'kefu') {
      // The reference runs at Kefu's steady rate, so latencies compare at the same load.
      const kefuSteady = reports[0]?.phases.filter((p) => p.phase.startsWith('steady')).map((p) => p.rate!);
      reports.push(await runTarget('raw', o, kefuSteady?.length ? kefuSteady : undefined, cleanups));
      await stopAll();
    }
  } finally {
    await stopAll();
    for (const sig of signals) process.off(sig, onSignal);
    clearTimeout(watchdog);
  }
  const summary = summarize(o, reports);
  writeFileSync(
    o.out,
    JSON.stringify(
      {
        started,
        finished: new Date().toISOString(),
        machine: { cores, cpu: cpus()[0]?.model, node: process.version, openFileLimit: fd },
        options: o,
        summary,
        reports,
      },
      null,
      2,
    ),
  );
  log(`\nresult written to ${o.out}`);
}

function summarize(o: ChatOptions, reports: TargetReport[]) {
  const kefu = reports.find((r) => r.target === 'kefu');
  const raw = reports.find((r) => r.target === 'raw');
  const ph = (r: TargetReport | undefined, name: string) => r?.phases.find((p) => p.phase === name);
  const kMax = kefu && bestMax(kefu.phases);
  const rMax = raw && bestMax(raw.phases);
  const kSteady = ph(kefu, 'steady');
  const rSteady = ph(raw, 'steady');
  const kStall = ph(kefu, 'stall');
  const ratio = kMax && rMax ? kMax.ackedPerSec / rMax.ackedPerSec : NaN;
  log('\n### summary');
  const rows: [string, string, string, string][] = [
    [
      'connections (shoppers + agents)',
      kefu ? `${fmt(kefu.connections.shoppers)} + ${fmt(kefu.connections.agents)}` : '–',
      raw ? `${fmt(raw.connections.shoppers)} + ${fmt(raw.connections.agents)}` : '–',
      '',
    ],
    [
      'server RSS per connection, idle',
      kefu ? `${fmt(kefu.memory.perConnectionKB, 1)} KB` : '–',
      raw ? `${fmt(raw.memory.perConnectionKB, 1)} KB` : '–',
      'target ≤ 20 KB',
    ],
    [
      '… with its conversation subscribed',
      kefu ? `${fmt(kefu.memory.perConnectionSubscribedKB, 1)} KB` : '–',
      raw ? `${fmt(raw.memory.perConnectionSubscribedKB, 1)} KB` : '–',
      '',
    ],
    [
      'JS heap per connection after GC, idle / subscribed',
      kefu
        ? `${fmt(kefu.memory.heapPerConnectionKB, 1)} / ${fmt(kefu.memory.heapPerConnectionSubscribedKB, 1)} KB`
        : '–',
      raw ? `${fmt(raw.memory.heapPerConnectionKB, 1)} / ${fmt(raw.memory.heapPerConnectionSubscribedKB, 1)} KB` : '–',
      '',
    ],
    [
      'max sustained acked msgs/s (closed loop; in flight)',
      kMax ? `${fmt(kMax.ackedPerSec)} (${kMax.window})` : '–',
      rMax ? `${fmt(rMax.ackedPerSec)} (${rMax.window})` : '–',
      `Kefu/raw ${fmt(100 * ratio)} % (target ≥ 50 %)`,
    ],
    [
      '  … over quiet seconds only (seconds)',
      kMax?.quiet ? `${fmt(kMax.quiet.ackedPerSec)} (${kMax.quiet.seconds})` : '–',
      rMax?.quiet ? `${fmt(rMax.quiet.ackedPerSec)} (${rMax.quiet.seconds})` : '–',
      kMax?.quiet && rMax?.quiet ? `Kefu/raw ${fmt((100 * kMax.quiet.ackedPerSec) / rMax.quiet.ackedPerSec)} %` : '',
    ],
    [
      '  server CPU µs per acked message at max',
      kMax ? fmt(kMax.serverCpuUsPerMsg) : '–',
      rMax ? fmt(rMax.serverCpuUsPerMsg) : '–',
      kMax && rMax
        ? `one core would carry ≈ ${fmt(1e6 / kMax.serverCpuUsPerMsg)} vs ${fmt(1e6 / rMax.serverCpuUsPerMsg)} msgs/s (${fmt((100 * rMax.serverCpuUsPerMsg) / kMax.serverCpuUsPerMsg)} %)`
        : '',
    ],
    [
      "  other processes' CPU during max",
      kMax ? `${fmt(kMax.otherCpuPct)} %` : '–',
      rMax ? `${fmt(rMax.otherCpuPct)} %` : '–',
      'should be ≈ 0 (shared machine)',
    ],
    [
      '  server CPU / generators CPU at max',
      kMax ? `${fmt(kMax.serverCpuPct)} % / ${fmt(kMax.loadgenCpuPct)} %` : '–',
      rMax ? `${fmt(rMax.serverCpuPct)} % / ${fmt(rMax.loadgenCpuPct)} %` : '–',
      '',
    ],
    [
      '  e2e p50 / p99 at max, ms',
      kMax ? `${fmt(kMax.e2e.p50, 1)} / ${fmt(kMax.e2e.p99, 1)}` : '–',
      rMax ? `${fmt(rMax.e2e.p50, 1)} / ${fmt(rMax.e2e.p99, 1)}` : '–',
      '',
    ],
    ['steady rate offered, msgs/s', kSteady ? fmt(kSteady.rate ?? 0) : '–', rSteady ? fmt(rSteady.rate ?? 0) : '–', ''],
    ['  acked msgs/s', kSteady ? fmt(kSteady.ackedPerSec) : '–', rSteady ? fmt(rSteady.ackedPerSec) : '–', ''],
    [
      '  e2e p50 / p90 / p99 / max, ms',
      kSteady
        ? `${fmt(kSteady.e2e.p50, 1)} / ${fmt(kSteady.e2e.p90, 1)} / ${fmt(kSteady.e2e.p99, 1)} / ${fmt(kSteady.e2e.max, 0)}`
        : '–',
      rSteady
        ? `${fmt(rSteady.e2e.p50, 1)} / ${fmt(rSteady.e2e.p90, 1)} / ${fmt(rSteady.e2e.p99, 1)} / ${fmt(rSteady.e2e.max, 0)}`
        : '–',
      'target p99 ≤ 50 ms',
    ],
    [
      '  … over quiet seconds only (seconds)',
      kSteady?.quiet
        ? `${fmt(kSteady.quiet.e2e.p50, 1)} / ${fmt(kSteady.quiet.e2e.p90, 1)} / ${fmt(kSteady.quiet.e2e.p99, 1)} / ${fmt(kSteady.quiet.e2e.max, 0)} (${kSteady.quiet.seconds})`
        : '–',
      rSteady?.quiet
        ? `${fmt(rSteady.quiet.e2e.p50, 1)} / ${fmt(rSteady.quiet.e2e.p90, 1)} / ${fmt(rSteady.quiet.e2e.p99, 1)} / ${fmt(rSteady.quiet.e2e.max, 0)} (${rSteady.quiet.seconds})`
        : '–',
      '',
    ],
    [
      '  server CPU µs per acked message',
      kSteady ? fmt(kSteady.serverCpuUsPerMsg) : '–',
      rSteady ? fmt(rSteady.serverCpuUsPerMsg) : '–',
      '',
    ],
    [
      "  other processes' CPU",
      kSteady ? `${fmt(kSteady.otherCpuPct)} %` : '–',
      rSteady ? `${fmt(rSteady.otherCpuPct)} %` : '–',
      '',
    ],
    [
      '  server CPU',
      kSteady ? `${fmt(kSteady.serverCpuPct)} %` : '–',
      rSteady ? `${fmt(rSteady.serverCpuPct)} %` : '–',
      '',
    ],
    ['errors (error frames, unacked, undelivered, closed)', kefu ? errorsOf(kefu) : '–', raw ? errorsOf(raw) : '–', ''],
  ];
  if (kStall?.stall)
    rows.push([
      `stall: write lock held ${fmt(kStall.stall.lockHeldMs)} ms`,
      `probe ping max ${fmt(kStall.probeMaxMs, 0)} ms, e2e max ${fmt(kStall.e2e.max, 0)} ms, p99 ${fmt(kStall.e2e.p99, 0)} ms`,
      '',
      'event loop must keep answering',
    ]);
  const disturbed = [kMax, rMax, kSteady, rSteady].filter((p): p is PhaseReport => !!p && p.otherCpuPct >= 10);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['', 'Kefu', 'raw ws'][i].length));
  log(`${''.padEnd(w[0])}  ${'Kefu'.padEnd(w[1])}  ${'raw ws'.padEnd(w[2])}`);
  for (const r of rows) log(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
  if (disturbed.length)
    log(
      `WARNING: ${disturbed.map((p) => `${reports.find((r) => r.phases.includes(p))!.target} ${p.phase}`).join(', ')} ran while other processes used ≥ 10 % CPU (a shared machine): those figures are disturbed; see the quiet-seconds rows, or run again on a quiet machine.`,
    );
  const steadies = (r: TargetReport | undefined) => r?.phases.filter((p) => p.phase.startsWith('steady')) ?? [];
  if (steadies(kefu).length > 1 || steadies(raw).length > 1) {
    log('\nlatency by offered rate (open loop): e2e p50 / p99 / max ms, acked msgs/s, server CPU');
    for (const [i, k] of steadies(kefu).entries()) {
      const r = steadies(raw)[i];
      const cell = (p: PhaseReport | undefined) =>
        p
          ? `${fmt(p.e2e.p50, 1)} / ${fmt(p.e2e.p99, 1)} / ${fmt(p.e2e.max, 0)} ms, ${fmt(p.ackedPerSec)}/s, ${fmt(p.serverCpuPct)} %${p.otherCpuPct >= 10 ? ` (others ${fmt(p.otherCpuPct)} %; quiet p99 ${fmt(p.quiet?.e2e.p99 ?? NaN, 1)})` : ''}`
          : '–';
      log(`  ${fmt(k.rate ?? 0).padStart(7)} msgs/s   Kefu ${cell(k)}   raw ${cell(r)}`);
    }
  }
  for (const p of kefu?.profiles ?? []) {
    log(
      `\nKefu CPU profile of ${p.title} during the ${p.phase} phase (${p.file}): busy ${fmt((100 * p.busyMs) / p.totalMs)} % of ${fmt(p.totalMs / 1000, 1)} s`,
    );
    log('  self time by area (% of wall time):');
    for (const a of p.areas.slice(0, 15)) log(`    ${fmt(a.pct, 1).padStart(5)} %  ${a.area}`);
    log('  top functions by self time:');
    for (const f of p.functions.slice(0, 25)) log(`    ${fmt(f.pct, 1).padStart(5)} %  ${f.name}  ${f.where}`);
    if (p.longTasks) {
      const lt = p.longTasks;
      log(
        `  long tasks (event loop busy > 20 ms without a break): ${lt.count}, ${fmt(lt.totalMs)} ms in all, longest ${fmt(lt.longestMs, 1)} ms; in them, self time by area:`,
      );
      for (const a of lt.areas.slice(0, 8)) log(`    ${fmt(a.pct, 1).padStart(5)} %  ${a.area}`);
      log('  and the frames most often on the stack in them (inclusive):');
      for (const f of lt.inclusive.slice(0, 12)) log(`    ${fmt(f.pct, 1).padStart(5)} %  ${f.name}`);
    }
  }
  return {
    kefuMaxAckedPerSec: kMax?.ackedPerSec,
    rawMaxAckedPerSec: rMax?.ackedPerSec,
    ratio,
    kefuSteadyRate: kSteady?.rate,
    kefuSteadyP99Ms: kSteady?.e2e.p99,
    rawSteadyP99Ms: rSteady?.e2e.p99,
    quiet: {
      kefuMaxAckedPerSec: kMax?.quiet?.ackedPerSec,
      rawMaxAckedPerSec: rMax?.quiet?.ackedPerSec,
      kefuSteadyP99Ms: kSteady?.quiet?.e2e.p99,
      rawSteadyP99Ms: rSteady?.quiet?.e2e.p99,
    },
    kefuKBPerConnection: kefu?.memory.perConnectionKB,
    rawKBPerConnection: raw?.memory.perConnectionKB,
    kefuCpuUsPerMsgAtMax: kMax?.serverCpuUsPerMsg,
    rawCpuUsPerMsgAtMax: rMax?.serverCpuUsPerMsg,
    otherCpuPctDuringMax: { kefu: kMax?.otherCpuPct, raw: rMax?.otherCpuPct },
    stallProbeMaxMs: kStall?.probeMaxMs,
    stallE2eMaxMs: kStall?.e2e.max,
  };
}

function errorsOf(r: TargetReport): string {
  const frames = r.phases.reduce((a, p) => a + Object.values(p.errorFrames).reduce((x, y) => x + y, 0), 0);
  const unacked = r.phases.reduce((a, p) => a + p.unacked, 0);
  const undelivered = r.phases.reduce((a, p) => a + p.undelivered, 0);
  const closed = r.phases.reduce((a, p) => a + p.closedSockets, 0);
  return `${frames}, ${unacked}, ${undelivered}, ${closed}`;
}
