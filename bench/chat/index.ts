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
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseOptions } from './options.ts';
import type { TargetReport } from './report.ts';
import { fmt, log, openFileLimit } from './stats.ts';
import { summarize } from './summary.ts';
import { runTarget } from './target.ts';

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
