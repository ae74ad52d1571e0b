/**
 * The monitoring bench's workload (issue #11): 500 HTTP probes at 15 s and 200 rules in 10 groups
 * over 5,000 series (50 metrics × 100 instances). Shared by the in-process phases (index.ts) and
 * the Kefu server process of the gateway phase (server-hook.ts), so both measure the same work.
 */
import type { Executor } from '../../src/server/db/index.ts';
import { saveConfigObject } from '../../src/server/modules/monitoring/config-store.ts';
import { saveProbe } from '../../src/server/modules/monitoring/probes.ts';
import type { Sample } from '../../src/server/modules/monitoring/store.ts';
import { ProbeInput } from '../../src/shared/ops-api.ts';

export const nSeries = 5000;
export const nProbes = 500;
export const nRules = 200;
export const interval = 15_000;
export const metricNames = Array.from({ length: 50 }, (_, i) => `bench_metric_${i}`);

/** The value of series `i` in batch `b` (a sine: some series cross each rule's threshold). */
export const seriesValue = (b: number, i: number) => Math.sin(b / 10 + i) * 100 + 100;

export const seriesBatch = (b: number): Sample[] =>
  Array.from({ length: nSeries }, (_, i) => ({
    name: metricNames[i % 50],
    labels: { node: 'bench', instance: `i${Math.floor(i / 50)}` },
    value: seriesValue(b, i),
  }));

/** Saves the 500 probes (against `probeBase`/<i>) and the 200 rules, as `kefu ops apply` would. */
export async function configureWorkload(db: Executor, probeBase: string): Promise<void> {
  const exprs = (m: string) => [
    `${m} > 190`,
    `avg_over_time(${m}[5m]) > 150`,
    `max by (node) (${m}) > 199`,
    `rate(${m}[5m]) > 1000`,
  ];
  const rules = Array.from({ length: nRules }, (_, i) => ({
    alert: `Bench${i}`,
    expr: exprs(metricNames[i % 50])[i % 4],
    for: '1m',
    labels: { severity: 'P3' },
  }));
  for (let g = 0; g < 10; g++)
    await saveConfigObject(
      db,
      'group',
      `bench-${g}`,
      { name: `bench-${g}`, interval: '15s', rules: rules.slice(g * 20, g * 20 + 20) },
      g,
      new Date(),
    );
  for (let i = 0; i < nProbes; i++)
    await saveProbe(
      db,
      ProbeInput.parse({ name: `p${i}`, type: 'http', url: `${probeBase}/${i}`, interval: '15s' }),
      new Date(),
    );
}
