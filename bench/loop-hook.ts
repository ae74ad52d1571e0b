/**
 * Preloaded (`--import`) into a bench's Kefu server process: serves `GET /bench/loop?name=N`, this
 * process's event-loop delay (p50, p99, max in ms) since the last call with the same name (each
 * name its own histogram, so a bench can read 2-second windows and a whole phase at once).
 *
 * Not prom-client's `kefu_nodejs_eventloop_lag_*` on /metrics: that histogram samples at 10 ms and
 * reports the whole interval (an idle loop reads ~10 ms), and it is reset whenever the registry is
 * read. This one samples every 1 ms, so its figures are the delay plus at most ~1 ms.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { KefuModule } from '../src/server/module.ts';
import { modules } from '../src/server/modules/registry.ts';

const histograms = new Map<string, ReturnType<typeof monitorEventLoopDelay>>();
const ms = (ns: number) => Math.round(ns / 1e4) / 100;
const histogram = (name: string) => {
  let h = histograms.get(name);
  if (!h) {
    h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    histograms.set(name, h);
  }
  return h;
};
histogram('default');

/** Main-thread CPU and GC pauses since the last call with the same name (ms). */
type Since = { cpu: NodeJS.CpuUsage; gcIndex: number };
const since = new Map<string, Since>();
const gcPauses: { ms: number; major: boolean }[] = []; // a bench run has a few thousand
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gcPauses.push({
      ms: e.duration,
      major: (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
    });
}).observe({ entryTypes: ['gc'] });
const threadCpu = () => process.threadCpuUsage();

const loop: KefuModule = {
  name: 'bench_loop',
  tables: [],
  routes(app) {
    app.get('/bench/loop', async (req) => {
      const name = String((req.query as { name?: string }).name ?? 'default').slice(0, 40);
      const h = histogram(name);
      const prev = since.get(name);
      const cpu = prev ? threadCpu() : undefined;
      const d = cpu && prev ? (cpu.user - prev.cpu.user + cpu.system - prev.cpu.system) / 1000 : 0;
      const gcs = prev ? gcPauses.slice(prev.gcIndex) : [];
      const r = {
        p50: ms(h.percentile(50)),
        p99: ms(h.percentile(99)),
        max: ms(h.max),
        mainCpuMs: Math.round(d),
        gcCount: gcs.length,
        gcMs: Math.round(gcs.reduce((a, b) => a + b.ms, 0)),
        gcMajorMs: Math.round(gcs.reduce((a, b) => a + (b.major ? b.ms : 0), 0)),
        gcMaxMs: Math.round(Math.max(0, ...gcs.map((g) => g.ms)) * 10) / 10,
      };
      h.reset();
      since.set(name, { cpu: threadCpu(), gcIndex: gcPauses.length });
      return r;
    });
  },
};
(modules as KefuModule[]).push(loop);
