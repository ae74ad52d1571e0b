/** One target from start to stop: generators, connections and memory, warm-up, the phases, and what was persisted. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import type { ChatOptions } from './options.ts';
import { bestMax, runPhase } from './phase.ts';
import { Loadgen, lifetimeMs } from './processes.ts';
import { heapAfterGc as heapOf, longTasks, saveProfile, startProfiler, summarise } from './profile.ts';
import { retried, waitForQuiet } from './quiet.ts';
import { printPhase, type PhaseReport, type TargetReport } from './report.ts';
import { metricsOf, settledRss as settledRssOf } from './sampling.ts';
import { startTarget, type Server, type Target } from './servers.ts';
import { fmt, log, openFileLimit, openFiles, rssBytes, sleep, threadCpuSeconds } from './stats.ts';

const socketsPerLoadgen = 6000;

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

/** What the overload phase shows: memory growth, refusals, and the seconds until p99 stays recovered. */
function overloadFigures(
  p: PhaseReport,
  o: ChatOptions,
  burstRate: number,
  rssBeforeMB: number,
  thresholdMs: number,
): NonNullable<PhaseReport['overload']> {
  const rows = p.timeline.filter((r) => r.sec <= o.overloadSeconds + o.recoverySeconds);
  const rssMaxMB = Math.max(rssBeforeMB, ...rows.map((r) => r.rssMB).filter((x) => Number.isFinite(x)));
  const after = rows.filter((r) => r.sec > o.overloadSeconds);
  // The first second after the burst from which every second's p99 (with deliveries in it) stays within the threshold.
  let recoverySec = NaN;
  for (let i = after.length - 1; i >= 0; i--) {
    if (!(after[i].recv > 0 && after[i].e2eP99 <= thresholdMs)) break;
    recoverySec = after[i].sec - 1 - o.overloadSeconds;
  }
  return {
    burstRate,
    burstSeconds: o.overloadSeconds,
    rssBeforeMB,
    rssMaxMB,
    rssGrowthPct: (100 * (rssMaxMB - rssBeforeMB)) / rssBeforeMB,
    refused: (p.errorFrames.busy ?? 0) + (p.errorFrames.rate_limited ?? 0),
    thresholdMs,
    recoverySec,
  };
}

export async function runTarget(
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
    // Two nodes: split puts shoppers on A and agents on B; mixed alternates both (a shopper and its agent often apart).
    const nodes = server.nodes ?? [server];
    const shopperNode = (i: number) => nodes[o.topology === 'split' ? 0 : i % nodes.length];
    const agentNode = (a: number) => nodes[o.topology === 'split' ? nodes.length - 1 : (a + 1) % nodes.length];
    const shopperUrl = (i: number) => `${shopperNode(i).wsUrl}/ws?widget=${setup ? setup.shopperTokens[i] : `raw${i}`}`;
    const ready = g.request(
      {
        type: 'init',
        index: p,
        shopperUrls: mine.map(shopperUrl),
        agentUrl: `${server.wsUrl}/ws`,
        ...(server.nodes
          ? { agentUrls: Array.from({ length: a1 - a0 }, (_, k) => `${agentNode(a0 + k).wsUrl}/ws`) }
          : {}),
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

  const ours = () => [
    process.pid,
    ...(server.nodes?.map((n) => n.pid) ?? [server.pid]),
    ...(server.infraPids?.() ?? []),
    ...gens.map(({ g }) => g.proc.pid!),
  ];
  // Memory of every node together (one node: the server).
  const heapAfterGc = async () => {
    let sum = 0;
    for (const n of server.nodes ?? [server]) sum += await heapOf(n.inspectPort);
    return sum;
  };
  const settledRss = async () => {
    let sum = 0;
    for (const n of server.nodes ?? [server]) sum += await settledRssOf(n.pid);
    return sum;
  };
  await waitForQuiet(ours, o, 'connecting');
  // Memory: a full GC (through the inspector) before each reading, so both readings are alike.
  const heap0 = await heapAfterGc();
  const rss0 = await settledRss();
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
  const heap1 = await heapAfterGc();
  const rss1 = await settledRss();
  const kefuConns = target === 'kefu' ? await scrapeCost(server) : undefined;
  const total = conn.shoppers + conn.agents + P;
  const serverFds = openFiles(server.pid);
  log(
    `  connected ${fmt(conn.shoppers)} shoppers + ${fmt(conn.agents)} agents + ${P} probe(s) in ${(conn.connectMs / 1000).toFixed(1)} s; failed ${conn.failed}${errors.length ? ` (${errors.join('; ')})` : ''}; server open files ${serverFds}${kefuConns ? `; kefu_realtime_connections agent=${kefuConns.agent} customer=${kefuConns.customer}; /metrics scrape ${kefuConns.metricsScrapeLoopMs} ms of the event loop's CPU each (20 scrapes), ${kefuConns.metricsScrapeMs} ms wall at best` : ''}`,
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
  const heap2 = await heapAfterGc();
  const rss2 = await settledRss();
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

  if (target === 'kefu' && o.overloadSeconds > 0) {
    await waitForQuiet(ours, o, 'the overload phase');
    const steadyP99 = phases.find((p) => p.phase === 'steady')?.e2e.p99 ?? 25;
    const burstRate = Math.round(best ? 2 * best.ackedPerSec : 4 * rate);
    const rssBefore = (server.nodes?.map((n) => n.pid) ?? [server.pid]).reduce((a, p) => a + rssBytes(p), 0) / 2 ** 20;
    const p = await runPhase(
      server,
      gens,
      o.shoppers,
      {
        phase: 'overload',
        mode: 'open',
        rate,
        burst: { rate: burstRate, seconds: o.overloadSeconds },
        seconds: o.overloadSeconds + o.recoverySeconds,
        maxInflightPerShopper: 1_000_000,
        graceMs: grace,
      },
      o,
    );
    // Recovered: back within twice the steady p99 (at least the 50 ms target, at most 1 s on a disturbed run).
    p.overload = overloadFigures(p, o, burstRate, rssBefore, Math.min(1000, Math.max(50, 2 * steadyP99)));
    phases.push(p);
    printPhase(target, p);
    log(
      `  overload: ${fmt(burstRate)} msgs/s offered for ${o.overloadSeconds} s, then ${fmt(rate)}: RSS ${fmt(rssBefore, 1)} → max ${fmt(p.overload.rssMaxMB, 1)} MB (${fmt(p.overload.rssGrowthPct, 1)} %, target ≤ 10 %); ${fmt(p.overload.refused)} sends refused; p99 within ${fmt(p.overload.thresholdMs)} ms ${Number.isNaN(p.overload.recoverySec) ? 'never again in the phase' : `${p.overload.recoverySec} s after the burst`} (target ≤ 5 s); unacked ${p.unacked}, undelivered ${p.undelivered}`,
    );
  }

  await sleep(1000);
  const heap3 = await heapAfterGc();
  const rss3 = await settledRss();
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

/**
 * Kefu's connection gauges, and what a /metrics scrape costs its event loop (issue #8: ≤ 5 ms at
 * 10,500 sockets): the main thread's CPU over 20 scrapes, less its CPU over as long without them
 * (the idle sockets' heartbeats), per scrape; and the best wall time of them (with the HTTP round
 * trip and the thread pool's work).
 */
async function scrapeCost(server: Server) {
  const mainCpu = () => threadCpuSeconds(server.pid).main ?? NaN;
  const scrapes = 20;
  let bestMs = Infinity;
  let m = new Map<string, number>();
  const c0 = mainCpu();
  const w0 = performance.now();
  for (let i = 0; i < scrapes; i++) {
    const t0 = performance.now();
    m = await metricsOf(server);
    bestMs = Math.min(bestMs, performance.now() - t0);
    await sleep(50);
  }
  const scraping = mainCpu() - c0;
  const idleFrom = mainCpu();
  await sleep(performance.now() - w0);
  const idle = mainCpu() - idleFrom;
  return {
    agent: m.get('kefu_realtime_connections{kind="agent"}') ?? NaN,
    customer: m.get('kefu_realtime_connections{kind="customer"}') ?? NaN,
    metricsScrapeMs: Math.round(bestMs * 10) / 10,
    metricsScrapeLoopMs: Math.round((((scraping - idle) * 1000) / scrapes) * 10) / 10,
  };
}
