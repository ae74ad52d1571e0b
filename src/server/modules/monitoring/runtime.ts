/**
 * The module's per-process parts: the series store, this node's sampler, and (on the scheduler
 * role) the probes and the rule evaluator. Created on first use, started by the module's `start`
 * hook for the roles the node runs, stopped by its `stop`.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ProcessRole } from '../../config.ts';
import { moduleState, type Services } from '../../context.ts';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { RuleEvaluator } from './alerts.ts';
import { defaultOpsConfig } from './defaults.ts';
import { ensureDefaults } from './ops-config.ts';
import type { SeriesSource } from './promql/eval.ts';
import { LeaderLoop, ProbeRunner } from './runner.ts';
import { Sampler } from './sampler.ts';
import { resolutionFor, SeriesStore, type Retention } from './store.ts';

export type Runtime = {
  store: SeriesStore;
  sampler: Sampler | null;
  probes: ProbeRunner | null;
  rules: RuleEvaluator | null;
  loop: LeaderLoop | null;
};

export const runtime = (s: Services): Runtime =>
  moduleState(s, 'monitoring', () => ({
    store: new SeriesStore({ db: s.db, engine: s.engine }),
    sampler: null,
    probes: null,
    rules: null,
    loop: null,
  }));

/** The rule evaluator's view of the store: raw samples within their retention, then rollups. */
export function storeSource(s: Services): SeriesSource {
  const rt = runtime(s);
  return {
    async select(name, matchers, from, to) {
      const now = s.clock.now().getTime();
      const res = resolutionFor(now, from, retentionOf(s), 20_000, to);
      return rt.store.read(name, matchers, from, to, res);
    },
  };
}

export function ruleEvaluatorOf(s: Services): RuleEvaluator {
  const rt = runtime(s);
  rt.rules ??= new RuleEvaluator(s, storeSource(s));
  return rt.rules;
}

/** This node in series: the configured name, else host name and port. */
export const nodeName = (s: Pick<Services, 'config'>): string => s.config.nodeName ?? `${hostname()}:${s.config.port}`;

export const retentionOf = (s: Pick<Services, 'config'>): Retention => ({
  rawHours: s.config.monitoringRawHours,
  minuteDays: s.config.monitoringMinuteDays,
  hourDays: s.config.monitoringHourDays,
});

export function samplerOf(s: Services): Sampler {
  const rt = runtime(s);
  rt.sampler ??= new Sampler({
    registry: s.metrics,
    node: nodeName(s),
    write: (t, samples) => rt.store.write(t, samples),
    now: () => s.clock.now().getTime(),
    onError: (err) => s.log.warn({ err }, 'monitoring sample failed'),
  });
  return rt.sampler;
}

export function probeRunnerOf(s: Services): ProbeRunner {
  const rt = runtime(s);
  rt.probes ??= new ProbeRunner({
    db: s.db,
    log: s.log,
    now: () => s.clock.now().getTime(),
    write: (t, samples) => rt.store.write(t, samples),
  });
  return rt.probes;
}

/**
 * The installation-wide loop (probes, then rules) of this process: it runs while this process
 * holds the `ops` lease; `holder` is unique per process so two processes with one node name differ.
 */
export function opsLoopOf(s: Services, o: { tickMs?: number; ttlMs?: number } = {}): LeaderLoop {
  const rt = runtime(s);
  rt.loop ??= new LeaderLoop({
    db: s.db,
    name: 'ops',
    holder: `${nodeName(s)}/${randomBytes(4).toString('hex')}`,
    tickMs: o.tickMs ?? 1000,
    ttlMs: o.ttlMs ?? 10_000,
    now: () => s.clock.now().getTime(),
    log: s.log,
    work: async () => {
      await probeRunnerOf(s).tick();
      await ruleEvaluatorOf(s).tick(s.clock.now().getTime());
    },
  });
  return rt.loop;
}

export const publicUrlOf = (s: Pick<Services, 'config'>): string =>
  s.config.publicUrl ?? `http://127.0.0.1:${s.config.port}`;

export async function startMonitoring(s: Services, roles: readonly ProcessRole[]): Promise<void> {
  if (!s.config.monitoring || !roles.length) return;
  await ensureDefaults(s, OpsConfig.parse(defaultOpsConfig(publicUrlOf(s))));
  samplerOf(s).start(s.config.monitoringIntervalSeconds * 1000);
  if (roles.includes('scheduler')) opsLoopOf(s).start();
}

export async function stopMonitoring(s: Services): Promise<void> {
  const rt = s.state.get('monitoring') as Runtime | undefined;
  await rt?.loop?.stop();
  await rt?.probes?.settle();
  await rt?.sampler?.stop();
}
