/**
 * Preloaded into the Kefu server process of the monitoring bench's gateway phase (gateway.ts puts
 * `--import` of this file in the server's NODE_OPTIONS); does nothing unless
 * KEFU_BENCH_MONITORING_PROBES names the probe target. It adds a module to Kefu's module list that
 *
 * - registers the workload's 5,000 series (50 gauges × 100 instances) on the node's registry, as a
 *   large installation's modules would publish them: the node's own sampler writes them every 15 s;
 * - starts with the monitoring module's work stopped, and serves `POST /bench/monitoring?on=1|0`
 *   (loopback only) to start or stop it in this process: the sampler, and on this scheduler node the
 *   500 probes and 200 rules (configured on the first start);
 * The event-loop delay per window comes from bench/loop-hook.ts (preloaded with this file):
 * prom-client's histogram on /metrics is reset whenever the registry is read, and the sampler reads
 * it every 15 s while monitoring runs, so it would cover a different span in the two kinds of window.
 */
import { sql } from 'kysely';
import { Gauge } from 'prom-client';
import type { ProcessRole } from '../../src/server/config.ts';
import type { KefuModule } from '../../src/server/module.ts';
import { startMonitoring, stopMonitoring } from '../../src/server/modules/monitoring/runtime.ts';
import { modules } from '../../src/server/modules/registry.ts';
import { configureWorkload, metricNames, seriesValue } from './workload.ts';

const probeBase = process.env.KEFU_BENCH_MONITORING_PROBES;

if (probeBase) {
  let roles: readonly ProcessRole[] = [];
  let configured = false;
  let batch = 0;
  const bench: KefuModule = {
    name: 'bench_monitoring',
    tables: [],
    metrics(s) {
      for (const [m, name] of metricNames.entries())
        new Gauge({
          name,
          help: 'monitoring bench: one of 50 metrics of 100 instances each',
          labelNames: ['instance'],
          registers: [s.metrics],
          collect() {
            if (m === 0) batch++;
            for (let k = 0; k < 100; k++) this.set({ instance: `i${k}` }, seriesValue(batch, k * 50 + m));
          },
        });
    },
    routes(app, s) {
      // How many alerts fire and how many were announced: the gateway phase prints them per window,
      // so a reader sees whether the storm (the rules' `for: 1m` running out) fell inside it.
      app.get('/bench/monitoring/alerts', async () => {
        const rows = await sql<{ state: string; notified: number; n: number }>`
          select state, notified, count(*) as n from monitoring_alerts group by state, notified`.execute(s.db);
        const n = (f: (r: { state: string; notified: number }) => boolean) =>
          rows.rows.filter(f).reduce((t, r) => t + Number(r.n), 0);
        return { firing: n((r) => r.state === 'firing'), announced: n((r) => r.state === 'firing' && !!r.notified) };
      });
      app.post('/bench/monitoring', async (req) => {
        const on = (req.query as { on?: string }).on === '1';
        if (on && !configured) {
          await configureWorkload(s.db, probeBase);
          configured = true;
        }
        if (on) await startMonitoring(s, roles);
        else await stopMonitoring(s);
        return { on };
      });
    },
    async start(s, r) {
      roles = r;
      await stopMonitoring(s);
    },
  };
  (modules as KefuModule[]).push(bench);
}
