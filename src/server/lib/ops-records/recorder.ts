/**
 * What the weekly inspection reads about the installation itself, gathered in process and flushed
 * to the database (`log_records`, `perf_samples`; migration 0270):
 * - the logger's warnings and errors (a pino stream), as signatures (normalise.ts), at most
 *   `maxBufferedLogs` between flushes (the rest are counted, not kept);
 * - durations by statement shape (the query layer's hook, `openDb`'s `onQuery`) and by alert rule
 *   (the rule evaluator): per shape a count, a sum, a maximum and a fixed-bucket histogram; at most
 *   `maxShapes` shapes per kind between flushes (later ones go to "(other)"), and the `topShapes`
 *   with the most total time written. Recording is a map lookup and a few additions.
 * Rows older than `retentionDays` are deleted at each flush.
 */
import type { DestinationStream } from 'pino';
import type { Db } from '../../db/index.ts';
import { signatureOf, sqlShape, type Signature } from './normalise.ts';
import { own } from './schema.ts';

/** Histogram bounds in milliseconds (a last bucket counts the durations above the largest). */
export const perfBounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] as const;
export type PerfKind = 'query' | 'rule';
type Acc = { count: number; total: number; max: number; buckets: number[] };

export const recorderLimits = {
  maxBufferedLogs: 1000,
  maxShapes: 500,
  topShapes: 25,
  retentionDays: 35,
  logFlushMs: 30_000,
  perfFlushMs: 10 * 60_000,
};

const hourOf = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();

export class OpsRecorder {
  private logs: { at: number; level: number; sig: Signature }[] = [];
  private logsCaptured = 0;
  droppedLogs = 0;
  private perf: Record<PerfKind, Map<string, Acc>> = { query: new Map(), rule: new Map() };
  /** Raw SQL → shape, so a statement is normalised once (Kysely's SQL repeats; bounded). */
  private readonly shapes = new Map<string, string>();
  private timers: NodeJS.Timeout[] = [];
  private db: Db | null = null;
  private readonly now: () => number;
  /** Set when a logger writes to `logSink`: only then does a flush record the log store's coverage. */
  capturesLogs = false;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** The pino stream of warnings and errors (createLogger's `sink`). */
  readonly logSink: DestinationStream = {
    write: (line: string) => {
      let rec: { level?: unknown; time?: unknown; msg?: unknown; err?: Parameters<typeof signatureOf>[0]['err'] };
      try {
        rec = JSON.parse(line);
      } catch {
        return;
      }
      const level = typeof rec.level === 'number' ? rec.level : 0;
      if (level < 40) return;
      this.logsCaptured++;
      if (this.logs.length >= recorderLimits.maxBufferedLogs) {
        this.droppedLogs++;
        return;
      }
      this.logs.push({ at: typeof rec.time === 'number' ? rec.time : this.now(), level, sig: signatureOf(rec) });
    },
  };

  /** One statement's duration (the query layer's hook). */
  readonly onQuery = (statement: string, ms: number): void => {
    let shape = this.shapes.get(statement);
    if (shape === undefined) {
      shape = sqlShape(statement);
      if (this.shapes.size >= 5000) this.shapes.clear();
      this.shapes.set(statement, shape);
    }
    this.record('query', shape, ms);
  };

  record(kind: PerfKind, shape: string, ms: number): void {
    const m = this.perf[kind];
    let acc = m.get(shape);
    if (!acc) {
      const key = m.size >= recorderLimits.maxShapes ? '(other)' : shape;
      acc = m.get(key) ?? { count: 0, total: 0, max: 0, buckets: new Array<number>(perfBounds.length + 1).fill(0) };
      m.set(key, acc);
    }
    acc.count++;
    acc.total += ms;
    if (ms > acc.max) acc.max = ms;
    let b = 0;
    while (b < perfBounds.length && ms > perfBounds[b]!) b++;
    acc.buckets[b]!++;
  }

  /** Flushes to `db` on timers (unref'd) until `stop`. */
  start(db: Db, onError: (err: unknown) => void): void {
    this.db = db;
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => void fn().catch(onError), ms);
      t.unref();
      this.timers.push(t);
    };
    every(recorderLimits.logFlushMs, () => this.flushLogs());
    every(recorderLimits.perfFlushMs, () => this.flushPerf());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Writes what was gathered since the last flush (and prunes past the retention). */
  async flush(db: Db | null = this.db): Promise<void> {
    await this.flushLogs(db);
    await this.flushPerf(db);
  }

  async flushLogs(db: Db | null = this.db): Promise<void> {
    if (!db || !this.logs.length) return;
    const batch = this.logs;
    this.logs = [];
    const rows = batch.map((r) => ({
      at: new Date(r.at).toISOString(),
      level: r.level,
      err_type: r.sig.type,
      message: r.sig.message,
      frames: JSON.stringify(r.sig.frames),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await own(db)
        .insertInto('log_records')
        .values(rows.slice(i, i + 200))
        .execute();
    const cutoff = new Date(this.now() - recorderLimits.retentionDays * 86_400_000).toISOString();
    await own(db).deleteFrom('log_records').where('at', '<', cutoff).execute();
  }

  async flushPerf(db: Db | null = this.db): Promise<void> {
    if (!db) return;
    const at = hourOf(this.now());
    const perf = this.perf;
    const captured = this.logsCaptured;
    this.perf = { query: new Map(), rule: new Map() };
    this.logsCaptured = 0;
    const rows = this.capturesLogs
      ? [{ at, kind: 'logs', shape: '', count: captured, total_ms: 0, max_ms: 0, buckets: '[]' }]
      : [];
    for (const kind of ['query', 'rule'] as const)
      for (const [shape, a] of [...perf[kind].entries()]
        .sort((x, y) => y[1].total - x[1].total)
        .slice(0, recorderLimits.topShapes))
        rows.push({
          at,
          kind,
          shape,
          count: a.count,
          total_ms: a.total,
          max_ms: a.max,
          buckets: JSON.stringify(a.buckets),
        });
    if (rows.length) await own(db).insertInto('perf_samples').values(rows).execute();
    const cutoff = new Date(this.now() - recorderLimits.retentionDays * 86_400_000).toISOString();
    await own(db).deleteFrom('perf_samples').where('at', '<', cutoff).execute();
  }
}
