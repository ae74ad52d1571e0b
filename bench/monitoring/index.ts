/**
 * `npm run bench -- monitoring [--quick]`: the monitoring module's cost on this machine, in-process
 * on SQLite (the store's heavier engine here): 5,000 series sampled every 15 s (write time per batch,
 * bytes per day), 200 rules over them (evaluation time per cycle, p99), 500 HTTP probes at 15 s
 * against a local server (CPU share), and the event-loop delay p99 while all of it runs.
 */
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/server/config.ts';
import { manualClock } from '../../src/server/lib/clock.ts';
import { createLogger } from '../../src/server/lib/logger.ts';
import { closeServices, createServices } from '../../src/server/services.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { RuleEvaluator } from '../../src/server/modules/monitoring/alerts.ts';
import { saveConfigObject } from '../../src/server/modules/monitoring/config-store.ts';
import { saveProbe } from '../../src/server/modules/monitoring/probes.ts';
import { ProbeRunner } from '../../src/server/modules/monitoring/runner.ts';
import { storeSource, runtime } from '../../src/server/modules/monitoring/runtime.ts';
import { ProbeInput } from '../../src/shared/ops-api.ts';
import { percentile } from '../server.ts';

export async function monitoring(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-mon-'));
  const { config } = loadConfig({
    env: {},
    flags: { dataDir, demo: false, logLevel: 'silent', secretKey: randomBytes(32).toString('hex') },
  });
  const clock = manualClock('2026-12-01T00:00:00Z');
  const s = createServices(config, { clock, log: createLogger('silent') });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  try {
    await migrateToLatest(s.db);
    const store = runtime(s).store;
    const nSeries = 5000;
    const batches = quick ? 40 : 240; // 10 min or 1 h of 15 s samples
    const names = Array.from({ length: 50 }, (_, i) => `bench_metric_${i}`);
    const before = statSync(join(dataDir, 'kefu.db')).size;
    const writes: number[] = [];
    loop.enable();
    for (let b = 0; b < batches; b++) {
      clock.advance(15_000);
      const samples = Array.from({ length: nSeries }, (_, i) => ({
        name: names[i % 50],
        labels: { node: 'bench', instance: `i${Math.floor(i / 50)}` },
        value: Math.sin(b / 10 + i) * 100 + 100,
      }));
      const t0 = performance.now();
      await store.write(clock.now().getTime(), samples);
      writes.push(performance.now() - t0);
    }
    const sizeFile = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    const grown = sizeFile(join(dataDir, 'kefu.db')) + sizeFile(join(dataDir, 'kefu.db-wal')) - before;
    writes.sort((a, b) => a - b);
    console.log(
      `series store, ${nSeries} series every 15 s (${batches} batches): write p50 ${percentile(writes, 50).toFixed(0)} ms, p99 ${percentile(writes, 99).toFixed(0)} ms per batch; ` +
        `${(((grown / batches) * 5760) / 2 ** 20).toFixed(0)} MiB/day of raw + rollups before pruning (SQLite file growth)`,
    );

    // 200 rules over those series, a mix of instant, range and aggregation expressions.
    const rules = Array.from({ length: 200 }, (_, i) => {
      const m = names[i % 50];
      const exprs = [
        `${m} > 190`,
        `avg_over_time(${m}[5m]) > 150`,
        `max by (node) (${m}) > 199`,
        `rate(${m}[5m]) > 1000`,
      ];
      return { alert: `Bench${i}`, expr: exprs[i % 4], for: '1m', labels: { severity: 'P3' } };
    });
    for (let g = 0; g < 10; g++)
      await saveConfigObject(
        s.db,
        'group',
        `bench-${g}`,
        { name: `bench-${g}`, interval: '15s', rules: rules.slice(g * 20, g * 20 + 20) },
        g,
        clock.now(),
      );
    const evaluator = new RuleEvaluator(s, storeSource(s));
    const cycles: number[] = [];
    for (let c = 0; c < (quick ? 5 : 20); c++) {
      clock.advance(15_000);
      const t0 = performance.now();
      await evaluator.tick(clock.now().getTime());
      cycles.push(performance.now() - t0);
    }
    cycles.sort((a, b) => a - b);
    console.log(
      `200 rules over ${nSeries} series: evaluation p50 ${percentile(cycles, 50).toFixed(0)} ms, p99 ${percentile(cycles, 99).toFixed(0)} ms per cycle (${cycles.length} cycles)`,
    );

    // 500 HTTP probes at 15 s against a local server, on the real clock for one interval.
    const server = createServer((_q, r) => void r.writeHead(200).end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    for (let i = 0; i < 500; i++)
      await saveProbe(
        s.db,
        ProbeInput.parse({ name: `p${i}`, type: 'http', url: `http://127.0.0.1:${port}/${i}`, interval: '15s' }),
        new Date(),
      );
    const runner = new ProbeRunner({
      db: s.db,
      log: s.log,
      now: () => Date.now(),
      write: (t, x) => store.write(t, x),
      concurrency: 500,
    });
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const seconds = quick ? 15 : 30;
    while (performance.now() - wall0 < seconds * 1000) {
      await runner.tick();
      await new Promise((r) => setTimeout(r, 1000));
    }
    await runner.settle();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    server.close();
    console.log(
      `500 HTTP probes at 15 s for ${seconds} s: ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1)} % of one core (probes, their series and state rows)`,
    );
    loop.disable();
    console.log(
      `event-loop delay while all of the above ran in this process: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
  } finally {
    await closeServices(s);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
