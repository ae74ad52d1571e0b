/**
 * Series Kefu writes straight to its store, with no registry metric behind them, are put on
 * /metrics too, each with its latest value (issue #11: "everything also on /metrics"):
 * - the probe results in the blackbox exporter's names (`probe_success`, `probe_duration_seconds`,
 *   `probe_http_status_code`, `probe_ssl_earliest_cert_expiry`) and `kefu_probe_up`, labelled
 *   `probe` (and `component`), on the node that runs the probes (the `ops` lease holder) while it
 *   holds the lease, for the probes still defined and enabled;
 * - the results `kefu probe run` pushed (label `runner`) and `kefu_probe_runner_last_push_timestamp_seconds`,
 *   on the node that received the push, for an hour after it (as a Pushgateway keeps the last
 *   push; the timestamp says how old it is);
 * - the sampler's own cost (`kefu_monitoring_*`) of its last tick.
 * /metrics adds the `node` label to every series (http/health.ts). The sampler skips these gauges
 * when it reads the registry: it writes the same series itself.
 */
import { Gauge } from 'prom-client';
import type { Services } from '../../context.ts';
import type { LeaderLoop, ProbeRunner } from './runner.ts';
import type { Sampler } from './sampler.ts';
import type { Labels, Sample } from './store.ts';

/** What this node shows (the module's runtime: runtime.ts). */
export type ExposedSources = {
  loop: LeaderLoop | null;
  probes: ProbeRunner | null;
  sampler: Sampler | null;
  pushed: Map<string, { sample: Sample; at: number }>;
};

const families: [name: string, help: string, labelNames: string[]][] = [
  ['probe_success', 'Whether the last check of the probe succeeded (1) or not (0)', ['probe', 'component', 'runner']],
  ['probe_duration_seconds', 'Duration of the last check of the probe', ['probe', 'component', 'runner']],
  ['probe_http_status_code', 'HTTP status code of the last check', ['probe', 'component', 'runner']],
  [
    'probe_ssl_earliest_cert_expiry',
    'Unix time at which the earliest certificate of the chain expires',
    ['probe', 'component', 'runner'],
  ],
  ['kefu_probe_up', 'The probe is up or pending (1) or down after its retries (0)', ['probe', 'component']],
  ['kefu_probe_runner_last_push_timestamp_seconds', 'When a `kefu probe run` runner last pushed results', ['runner']],
  ['kefu_monitoring_sample_seconds', "Duration of this node's last sample of its registry", []],
  ['kefu_monitoring_sampler_loop_delay_max_seconds', 'Longest event-loop delay seen during the last sample', []],
  ['kefu_monitoring_samples', 'Series written by the last sample', []],
];

/** The names above: the sampler leaves them out of what it reads from the registry. */
export const exposedNames: ReadonlySet<string> = new Set(families.map(([name]) => name));

/** How long a runner's pushed results stay on the receiving node's /metrics. */
export const pushedResultsTtlMs = 3600_000;

const key = (x: Sample) =>
  `${x.name}{${Object.keys(x.labels)
    .sort()
    .map((k) => `${k}=${x.labels[k]}`)
    .join(',')}}`;

/** Remembers the samples a runner pushed to this node (the latest per series). */
export function rememberPushed(pushed: ExposedSources['pushed'], samples: Sample[], at: number): void {
  for (const x of samples) if (exposedNames.has(x.name)) pushed.set(key(x), { sample: x, at });
}

/** The latest value of every series above that this node has to show now. */
export function exposedSamples(rt: ExposedSources, now: number): Sample[] {
  const out: Sample[] = [];
  if (rt.loop?.leader && rt.probes) for (const samples of rt.probes.latest.values()) out.push(...samples);
  for (const [k, p] of rt.pushed) {
    if (p.at < now - pushedResultsTtlMs) rt.pushed.delete(k);
    else out.push(p.sample);
  }
  const tick = rt.sampler?.lastTick;
  if (tick)
    out.push(
      { name: 'kefu_monitoring_sample_seconds', labels: {}, value: tick.seconds },
      { name: 'kefu_monitoring_sampler_loop_delay_max_seconds', labels: {}, value: tick.loopDelayMaxSeconds },
      { name: 'kefu_monitoring_samples', labels: {}, value: tick.samples },
    );
  return out;
}

export function registerExposedSeries(s: Services, sources: () => ExposedSources): void {
  if (s.metrics.getSingleMetric('probe_success')) return;
  for (const [name, help, labelNames] of families)
    new Gauge({
      name,
      help,
      labelNames,
      registers: [s.metrics],
      collect() {
        this.reset();
        for (const x of exposedSamples(sources(), s.clock.now().getTime()))
          if (x.name === name) {
            const labels: Labels = {};
            for (const l of labelNames) if (x.labels[l] !== undefined) labels[l] = x.labels[l];
            this.set(labels, x.value);
          }
      },
    });
}
