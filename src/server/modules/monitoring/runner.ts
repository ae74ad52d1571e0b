/**
 * The installation-wide loops (probes now, rule evaluation next) run on one node: the scheduler
 * nodes compete for a lease in the database, the holder renews it every tick, and when it dies
 * (stops renewing) another takes over within the lease time. Probes run without blocking the
 * loop: each due probe starts unless its previous check is still running, and a hanging target
 * only ever holds its own probe up to its timeout.
 */
import type { Executor } from '../../db/index.ts';
import type { Logger } from '../../lib/logger.ts';
import { turnQueue } from '../../lib/turns.ts';
import { runCheck, type CheckResult } from './checks.ts';
import { definitionOf, isDue, listProbes, recordResult } from './probes.ts';
import { own, type MonitoringProbesTable } from './schema.ts';
import type { Labels, Sample } from './store.ts';

/** Takes or renews the lease `name` for `holder` until now + ttl; true when this holder has it. */
export async function acquireLease(
  db: Executor,
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const row = await own(db)
    .insertInto('monitoring_leases')
    .values({ name, holder, until: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder: (eb) => eb.ref('excluded.holder'), until: (eb) => eb.ref('excluded.until') })
        .where((eb) => eb.or([eb('monitoring_leases.holder', '=', holder), eb('monitoring_leases.until', '<', now)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await own(db).deleteFrom('monitoring_leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** The series of one check, in the blackbox exporter's names (no `node`: a probe is the installation's). */
export function probeSamples(
  row: Pick<MonitoringProbesTable, 'name' | 'component'>,
  r: CheckResult,
  status: string,
): Sample[] {
  const labels: Labels = { probe: row.name, ...(row.component ? { component: row.component } : {}) };
  const out: Sample[] = [
    { name: 'probe_success', labels, value: r.ok ? 1 : 0 },
    { name: 'probe_duration_seconds', labels, value: r.durationMs / 1000 },
    { name: 'kefu_probe_up', labels, value: status === 'down' ? 0 : 1 },
  ];
  if (r.statusCode !== undefined) out.push({ name: 'probe_http_status_code', labels, value: r.statusCode });
  if (r.certExpiresAt) out.push({ name: 'probe_ssl_earliest_cert_expiry', labels, value: r.certExpiresAt / 1000 });
  return out;
}

export type ProbeRunnerDeps = {
  db: Executor;
  log: Logger;
  now(): number;
  write(t: number, samples: Sample[]): Promise<number>;
  /** Called after each check with the probe's new status (the console's live view, tests). */
  onResult?(name: string, status: string, r: CheckResult): void;
  concurrency?: number;
};

export class ProbeRunner {
  private readonly inFlight = new Map<string, Promise<void>>();
  private buffer: Sample[] = [];
  private readonly record = turnQueue();
  private readonly deps: ProbeRunnerDeps;
  /** The latest check's series of each probe still defined and enabled (exposed.ts: /metrics). */
  readonly latest = new Map<string, Sample[]>();
  constructor(deps: ProbeRunnerDeps) {
    this.deps = deps;
  }

  /** Starts every due probe that is not already being checked; writes the results gathered so far. */
  async tick(): Promise<void> {
    const now = this.deps.now();
    const rows = await listProbes(this.deps.db);
    const limit = this.deps.concurrency ?? 100;
    const enabled = new Set(rows.filter((r) => r.enabled).map((r) => r.name));
    for (const name of this.latest.keys()) if (!enabled.has(name)) this.latest.delete(name);
    for (const row of rows) {
      if (this.inFlight.size >= limit) break;
      if (this.inFlight.has(row.id) || !isDue(row, now)) continue;
      const run = this.check(row).finally(() => this.inFlight.delete(row.id));
      this.inFlight.set(row.id, run);
    }
    await this.flush();
  }

  private async check(row: MonitoringProbesTable): Promise<void> {
    try {
      const def = definitionOf(row);
      const result = await runCheck(def, row.last_push_at, this.deps.now());
      // Results arrive in bursts (checks started together end together): recorded one at a time,
      // with turns of the loop between, so a burst never holds it (the chat gateway shares it).
      await this.record(async () => {
        const at = this.deps.now();
        // Re-read: a push may have arrived and the definition may have changed while it ran.
        const fresh = await own(this.deps.db)
          .selectFrom('monitoring_probes')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirst();
        if (!fresh) return;
        const status = await recordResult(this.deps.db, fresh, result, new Date(at));
        const samples = probeSamples(fresh, result, status);
        this.buffer.push(...samples);
        this.latest.set(fresh.name, samples);
        this.deps.onResult?.(row.name, status, result);
      });
    } catch (err) {
      this.deps.log.warn({ err, probe: row.name }, 'probe check failed to record');
    }
  }

  /** Writes the buffered samples (one batch). */
  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const batch = this.buffer;
    this.buffer = [];
    await this.deps.write(this.deps.now(), batch);
  }

  /** Waits for the checks running now (tests; shutdown). */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight.values());
    await this.flush();
  }
}

/** Runs `work` every `tickMs` while this node holds the lease `name`. */
export class LeaderLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  leader = false;
  private readonly o: {
    db: Executor;
    name: string;
    holder: string;
    tickMs: number;
    ttlMs: number;
    now(): number;
    log: Logger;
    work(): Promise<void>;
  };
  constructor(o: LeaderLoop['o']) {
    this.o = o;
  }

  async tick(): Promise<void> {
    const o = this.o;
    this.leader = await acquireLease(o.db, o.name, o.holder, o.now(), o.ttlMs);
    if (this.leader) await o.work();
  }

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.running ??= this.tick()
        .catch((err: unknown) => this.o.log.warn({ err, loop: this.o.name }, 'monitoring loop failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(run, this.o.tickMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (this.leader) await releaseLease(this.o.db, this.o.name, this.o.holder).catch(() => undefined);
  }
}
