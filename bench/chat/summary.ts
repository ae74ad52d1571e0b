/** The closing summary: Kefu against the raw-ws relay side by side, and the summary object of the --out JSON. */
import type { ChatOptions } from './options.ts';
import { bestMax } from './phase.ts';
import type { PhaseReport, TargetReport } from './report.ts';
import { fmt, log } from './stats.ts';

export function summarize(o: ChatOptions, reports: TargetReport[]) {
  const kefu = reports.find((r) => r.target === 'kefu');
  const raw = reports.find((r) => r.target === 'raw');
  const ph = (r: TargetReport | undefined, name: string) => r?.phases.find((p) => p.phase === name);
  const kMax = kefu && bestMax(kefu.phases);
  const rMax = raw && bestMax(raw.phases);
  const kSteady = ph(kefu, 'steady');
  const rSteady = ph(raw, 'steady');
  const kStall = ph(kefu, 'stall');
  const kOver = ph(kefu, 'overload')?.overload;
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
      `Kefu/raw ${fmt(100 * ratio)} % (target ≥ 60 %)`,
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
  if (kOver)
    rows.push([
      `overload: ${fmt(kOver.burstRate)} msgs/s for ${kOver.burstSeconds} s`,
      `RSS +${fmt(kOver.rssGrowthPct, 1)} %, ${fmt(kOver.refused)} refused, p99 ≤ ${fmt(kOver.thresholdMs)} ms after ${Number.isNaN(kOver.recoverySec) ? '–' : `${kOver.recoverySec} s`}`,
      '',
      'target RSS ≤ +10 %, recovery ≤ 5 s, nothing acked lost',
    ]);
  const disturbed = [kMax, rMax, kSteady, rSteady].filter((p): p is PhaseReport => !!p && p.otherCpuPct >= 10);
  const rawName = o.rawDurable ? 'durable relay' : 'raw ws';
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['', 'Kefu', rawName][i].length));
  log(`${''.padEnd(w[0])}  ${'Kefu'.padEnd(w[1])}  ${rawName.padEnd(w[2])}`);
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
    /** The reference relay committed every message to SQLite before acking (`--raw-durable`): `ratio` is then Kefu/durable relay. */
    rawDurable: o.rawDurable,
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
    kefuMetricsScrapeMs: kefu?.connections.kefuRealtimeConnections?.metricsScrapeMs,
    kefuMetricsScrapeLoopMs: kefu?.connections.kefuRealtimeConnections?.metricsScrapeLoopMs,
    rawKBPerConnection: raw?.memory.perConnectionKB,
    kefuCpuUsPerMsgAtMax: kMax?.serverCpuUsPerMsg,
    rawCpuUsPerMsgAtMax: rMax?.serverCpuUsPerMsg,
    otherCpuPctDuringMax: { kefu: kMax?.otherCpuPct, raw: rMax?.otherCpuPct },
    stallProbeMaxMs: kStall?.probeMaxMs,
    stallE2eMaxMs: kStall?.e2e.max,
    nodes: o.nodes,
    ...(o.nodes === 2
      ? { topology: o.topology, kefuNodesCpuPctAtMax: kMax?.nodesCpuPct, infraCpuPctAtMax: kMax?.infraCpuPct }
      : {}),
    overloadRssGrowthPct: kOver?.rssGrowthPct,
    overloadRecoverySec: kOver?.recoverySec,
    overloadRefused: kOver?.refused,
  };
}

function errorsOf(r: TargetReport): string {
  // The overload phase's refusals are its point; its loss counts below (unacked, undelivered) all the same.
  const frames = r.phases
    .filter((p) => p.phase !== 'overload')
    .reduce((a, p) => a + Object.values(p.errorFrames).reduce((x, y) => x + y, 0), 0);
  const unacked = r.phases.reduce((a, p) => a + p.unacked, 0);
  const undelivered = r.phases.reduce((a, p) => a + p.undelivered, 0);
  const closed = r.phases.reduce((a, p) => a + p.closedSockets, 0);
  return `${frames}, ${unacked}, ${undelivered}, ${closed}`;
}
