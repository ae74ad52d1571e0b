/**
 * The sampler: every interval each node reads its own Prometheus registry (every module's gauges
 * and counters, the host and database gauges, prom-client's process metrics) and writes one batch
 * to the series store, each series labelled with `node`. That registry is the one small interface
 * through which modules publish figures: no module imports `monitoring`.
 *
 * Histograms are stored as their `_count` and `_sum` counters plus the quantiles of the interval
 * (`<name>_p50`, `_p90`, `_p95`, `_p99`, from the bucket deltas, as `histogram_quantile` would give), never
 * bucket by bucket: that keeps the cardinality to one series per label set.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';
import { realTurns, timeSlice, type Turns } from '../../lib/turns.ts';
import type { Labels, Sample, SeriesKind } from './store.ts';

type Buckets = { les: number[]; counts: number[] };

/** The q-quantile of cumulative bucket counts (linear within the bucket), as Prometheus computes it. */
export function bucketQuantile(q: number, les: readonly number[], cumulative: readonly number[]): number {
  const total = cumulative.at(-1) ?? 0;
  if (!total) return Number.NaN;
  const rank = q * total;
  let i = cumulative.findIndex((c) => c >= rank);
  if (i < 0) i = cumulative.length - 1;
  if (!Number.isFinite(les[i])) return les[i - 1] ?? 0;
  const lower = i === 0 ? 0 : les[i - 1];
  const below = i === 0 ? 0 : cumulative[i - 1];
  const inBucket = cumulative[i] - below;
  return inBucket ? lower + ((les[i] - lower) * (rank - below)) / inBucket : les[i];
}

const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

const clean = (labels: Partial<Record<string, string | number>>): Labels =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));

/** Turns a registry's metrics into samples; keeps the previous buckets to compute interval quantiles. */
export class RegistryReader {
  private readonly previous = new Map<string, Buckets>();

  read(metrics: readonly MetricObjectWithValues<MetricValue<string>>[], node: string): Sample[] {
    const out: Sample[] = [];
    for (const m of metrics) {
      const type = String(m.type);
      if (type === 'counter' || type === 'gauge') {
        const kind: SeriesKind = type === 'counter' ? 'counter' : 'gauge';
        for (const v of m.values)
          out.push({ name: m.name, labels: { ...clean(v.labels), node }, value: v.value, kind });
      } else if (type === 'histogram') {
        const groups = new Map<string, { labels: Labels; les: number[]; counts: number[] }>();
        for (const v of m.values as MetricValueWithName<string>[]) {
          const labels = clean(v.labels);
          if (v.metricName === `${m.name}_bucket`) {
            const { le, ...rest } = labels;
            const k = labelKey(rest);
            const g = groups.get(k) ?? { labels: rest, les: [], counts: [] };
            g.les.push(le === '+Inf' ? Infinity : Number(le));
            g.counts.push(v.value);
            groups.set(k, g);
          } else {
            out.push({ name: v.metricName ?? m.name, labels: { ...labels, node }, value: v.value, kind: 'counter' });
          }
        }
        for (const [k, g] of groups) {
          const key = `${m.name}{${k}}`;
          const prev = this.previous.get(key);
          this.previous.set(key, { les: g.les, counts: g.counts });
          // The first read has nothing to subtract: its counts are since the process started.
          const delta = g.counts.map(
            (c, i) => c - (prev && prev.counts.length === g.counts.length ? prev.counts[i] : 0),
          );
          if (!(delta.at(-1)! > 0)) continue;
          for (const [q, suffix] of [
            [0.5, 'p50'],
            [0.9, 'p90'],
            [0.95, 'p95'],
            [0.99, 'p99'],
          ] as const)
            out.push({
              name: `${m.name}_${suffix}`,
              labels: { ...g.labels, node },
              value: bucketQuantile(q, g.les, delta),
            });
        }
      }
    }
    return out;
  }
}

type Collectable = { name: string; get(): Promise<MetricObjectWithValues<MetricValue<string>>> };

/** What the sampler needs: the registry to read, where to write, and how it is measured. */
export type SamplerDeps = {
  registry: Registry;
  node: string;
  /** Registry metrics not to read (series the monitoring module writes itself and only shows on /metrics). */
  skip?: ReadonlySet<string>;
  write(t: number, samples: Sample[]): Promise<number>;
  now(): number;
  onError(err: unknown): void;
  /** How work is timed and the loop given a turn (a unit test passes a fake clock). */
  turns?: Turns;
};

/** The most main-thread work between two turns of the loop that the sampler plans for (issue #11: 5 ms). */
export const sliceBudgetMs = 2;

/**
 * Samples every `intervalMs`. Each tick also records its own cost (`kefu_monitoring_sample_seconds`)
 * and the longest event-loop delay seen while it ran (`kefu_monitoring_sampler_loop_delay_max_seconds`).
 * A tick never holds the event loop for more than 5 ms at a time (sampler.test.ts measures it): it
 * reads the registry metric by metric and the store writes in small chunks, with turns between.
 */
export class Sampler {
  private readonly reader = new RegistryReader();
  private readonly deps: SamplerDeps;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly loop = monitorEventLoopDelay({ resolution: 1 });
  lastTick: { at: number; samples: number; seconds: number; loopDelayMaxSeconds: number } | null = null;

  constructor(deps: SamplerDeps) {
    this.deps = deps;
  }

  /** One sample of the registry, written as one batch. */
  async tick(): Promise<number> {
    const t = this.deps.now();
    const started = performance.now();
    this.loop.reset();
    this.loop.enable();
    try {
      // Metric by metric, with a turn of the loop every 2 ms: prom-client's getMetricsAsJSON runs
      // every collect callback in one go (5,000 series held the loop for tens of milliseconds).
      // Each metric is collected and read as one unit, so a turn never waits for more than the
      // budget plus one metric's work (sampler-slices.test.ts counts it with a fake clock).
      const turns = this.deps.turns ?? realTurns;
      const pause = timeSlice(sliceBudgetMs, turns);
      const samples: Sample[] = [];
      // (The registry holds metric objects; its declared element type omits their `get`.)
      for (const metric of this.deps.registry.getMetricsAsArray() as unknown as Collectable[]) {
        if (this.deps.skip?.has(metric.name)) continue;
        await pause();
        for (const sample of this.reader.read([await metric.get()], this.deps.node)) samples.push(sample);
      }
      const seconds = (performance.now() - started) / 1000;
      const loopMax = this.loop.max / 1e9;
      const self = { node: this.deps.node };
      samples.push(
        { name: 'kefu_monitoring_sample_seconds', labels: self, value: seconds },
        { name: 'kefu_monitoring_sampler_loop_delay_max_seconds', labels: self, value: loopMax },
        { name: 'kefu_monitoring_samples', labels: self, value: samples.length + 3 },
      );
      await turns.turn();
      const n = await this.deps.write(t, samples);
      this.lastTick = { at: t, samples: n, seconds, loopDelayMaxSeconds: loopMax };
      return n;
    } finally {
      this.loop.disable();
    }
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    const run = () => {
      // A slow database never piles ticks up: the next waits for the last.
      this.running ??= this.tick()
        .then(
          () => undefined,
          (err: unknown) => this.deps.onError(err),
        )
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    setTimeout(run, Math.min(1000, intervalMs)).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
