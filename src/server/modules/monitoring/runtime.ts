/**
 * The module's per-process parts: the series store, this node's sampler, and (on the scheduler
 * role) the probes and the rule evaluator. Created on first use, started by the module's `start`
 * hook for the roles the node runs, stopped by its `stop`.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { nodeNameOf, type ProcessRole } from '../../config.ts';
import { moduleState, type Services } from '../../context.ts';
import { outboundRequest } from '../../lib/outbound.ts';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { RuleEvaluator, type RuleQuery } from './alerts.ts';
import { defaultOpsConfig } from './defaults.ts';
import { ensureDefaults } from './ops-config.ts';
import { LeaderLoop, ProbeRunner } from './runner.ts';
import { RemoteQuery, RemoteWriter } from './remote.ts';
import { exposedNames } from './exposed.ts';
import { Sampler } from './sampler.ts';
import { monitoringWriterOf } from './series-writer.ts';
import { sharedReads, type PlanningSource } from './shared-reads.ts';
import { resolutionFor, SeriesStore, type Retention, type Sample } from './store.ts';

export type Runtime = {
  store: SeriesStore;
  sampler: Sampler | null;
  probes: ProbeRunner | null;
  rules: RuleEvaluator | null;
  loop: LeaderLoop | null;
  /** Remote-write to an outside store (`monitoringRemoteWriteUrl`), and its query API (`monitoringRemoteQueryUrl`). */
  remoteWriter: RemoteWriter | null;
  remoteQuery: RemoteQuery | null;
  /** Results `kefu probe run` pushed to this node, the latest per series (exposed.ts puts them on /metrics). */
  pushed: Map<string, { sample: Sample; at: number }>;
};

export const runtime = (s: Services): Runtime =>
  moduleState(s, 'monitoring', () => ({
    store: new SeriesStore({
      db: s.db,
      engine: s.engine,
      // SQLite: samples, rollups and retention deletes on a worker thread's connection, off the event loop.
      // Whoever asks first (a unit of work too): the store never writes inside one (its `db` is the root).
      writer: monitoringWriterOf({ ...s, uow: undefined }),
    }),
    sampler: null,
    probes: null,
    rules: null,
    loop: null,
    remoteWriter: s.config.monitoringRemoteWriteUrl
      ? new RemoteWriter({ url: s.config.monitoringRemoteWriteUrl, log: s.log })
      : null,
    remoteQuery: s.config.monitoringRemoteQueryUrl ? new RemoteQuery(s.config.monitoringRemoteQueryUrl) : null,
    pushed: new Map(),
  }));

/**
 * Where samples go: Kefu's tables (the probe pages, uptime and the status page read them), and
 * with remote-write configured also the outside store.
 */
export function writeSamples(s: Services): (t: number, samples: Sample[]) => Promise<number> {
  const rt = runtime(s);
  return (t, samples) => {
    rt.remoteWriter?.enqueue(t, samples);
    return rt.store.write(t, samples);
  };
}

/** Rules through the outside store's query API, as Prometheus's own rule manager evaluates them. */
const remoteRuleQuery =
  (q: RemoteQuery): RuleQuery =>
  async (rule, now) => {
    const r = await q.instant(rule.exprText, now);
    if (r.resultType === 'scalar') return [{ labels: {}, v: r.result as number }];
    if (r.resultType !== 'vector') return [];
    return (r.result as { labels: Record<string, string>; value: number }[]).map((x) => ({
      labels: x.labels,
      v: x.value,
    }));
  };

/**
 * The rule evaluator's view of the store: raw samples within their retention, then rollups. A rule
 * cycle reads through `forCycle`: each metric once for all the cycle's rules (shared-reads.ts).
 */
export function storeSource(s: Services): PlanningSource {
  const rt = runtime(s);
  const resolutionOf = (from: number, to: number) =>
    resolutionFor(s.clock.now().getTime(), from, retentionOf(s), 20_000, to);
  return {
    async select(name, matchers, from, to) {
      return rt.store.read(name, matchers, from, to, resolutionOf(from, to));
    },
    forCycle: (windows) => sharedReads(rt.store, resolutionOf, windows),
  };
}

export function ruleEvaluatorOf(s: Services): RuleEvaluator {
  const rt = runtime(s);
  rt.rules ??= new RuleEvaluator(s, rt.remoteQuery ? remoteRuleQuery(rt.remoteQuery) : storeSource(s));
  return rt.rules;
}

/** This node in series: the configured name, else host name and port. */
export const nodeName = (s: Pick<Services, 'config'>): string => nodeNameOf(s.config);

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
    skip: exposedNames,
    write: writeSamples(s),
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
    write: writeSamples(s),
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

/** Where Kefu's own endpoints are probed: the public URL, else the address this node listens on. */
export const publicUrlOf = (s: Pick<Services, 'config'>, listening: string | null): string =>
  s.config.publicUrl ?? listening?.replace('0.0.0.0', '127.0.0.1') ?? `http://127.0.0.1:${s.config.port}`;

/** The built-in probes and rules, created or upgraded where unedited (at start, and by the demo seed before its history). */
export const ensureBuiltIns = (s: Services, listening: string | null) =>
  ensureDefaults(s, OpsConfig.parse(defaultOpsConfig(publicUrlOf(s, listening))));

export async function startMonitoring(
  s: Services,
  roles: readonly ProcessRole[],
  node: { url: string | null } = { url: null },
): Promise<void> {
  if (!s.config.monitoring || !roles.length) return;
  await ensureBuiltIns(s, node.url);
  samplerOf(s).start(s.config.monitoringIntervalSeconds * 1000);
  runtime(s).remoteWriter?.start();
  if (roles.includes('scheduler')) opsLoopOf(s).start();
  if (s.config.heartbeatUrl) startHeartbeat(s, s.config.heartbeatUrl, s.config.heartbeatIntervalSeconds * 1000);
}

/**
 * Dead man's switch: every `heartbeatIntervalSeconds` (a minute), while this node reaches its
 * database, call the configured URL (e.g. an outside Uptime Kuma push monitor); silence there
 * means this installation is down. A beat never overlaps the previous one; stopping ends them.
 */
function startHeartbeat(s: Services, url: string, everyMs: number): void {
  let running: Promise<void> | null = null;
  const beat = () => {
    running ??= (async () => {
      try {
        await sql`select 1`.execute(s.db);
        await outboundRequest(url, { guard: false, timeoutMs: Math.min(10_000, everyMs), maxBytes: 4096 });
      } catch (err) {
        s.log.warn({ err }, 'monitoring heartbeat failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(beat, everyMs);
  timer.unref();
  beat();
  moduleState(s, 'monitoring.heartbeat', () => ({ timer, settle: () => running }));
}

export async function stopMonitoring(s: Services): Promise<void> {
  const rt = s.state.get('monitoring') as Runtime | undefined;
  await rt?.loop?.stop();
  await rt?.probes?.settle();
  await rt?.sampler?.stop();
  await rt?.remoteWriter?.stop();
  await rt?.store.close(); // the monitoring writer's thread (SQLite), also the alert writes'
  const heartbeat = s.state.get('monitoring.heartbeat') as
    { timer: NodeJS.Timeout; settle(): Promise<void> | null } | undefined;
  if (heartbeat) {
    clearInterval(heartbeat.timer);
    s.state.delete('monitoring.heartbeat');
    await heartbeat.settle();
  }
}
