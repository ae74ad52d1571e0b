/**
 * Preloaded (`--import`) into a bench's Kefu server process: serves `GET /bench/loop?name=N`, this
 * process's event-loop delay (p50, p99, max in ms) since the last call with the same name (each
 * name its own histogram, so a bench can read 2-second windows and a whole phase at once).
 *
 * Not prom-client's `kefu_nodejs_eventloop_lag_*` on /metrics: that histogram samples at 10 ms and
 * reports the whole interval (an idle loop reads ~10 ms), and it is reset whenever the registry is
 * read. This one samples every 1 ms, so its figures are the delay plus at most ~1 ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

const loop: KefuModule = {
  name: 'bench_loop',
  tables: [],
  routes(app) {
    app.get('/bench/loop', async (req) => {
      const h = histogram(String((req.query as { name?: string }).name ?? 'default').slice(0, 40));
      const r = { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
      h.reset();
      return r;
    });
  },
};
(modules as KefuModule[]).push(loop);
