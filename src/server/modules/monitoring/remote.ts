/**
 * An outside Prometheus-compatible store (Prometheus with its remote-write receiver on,
 * VictoriaMetrics, Mimir) for installations that outgrow their own tables:
 *
 * - `RemoteWriter` sends every sample this node writes by Prometheus remote-write 1.0: a protobuf
 *   `WriteRequest` (encoded here by hand: four small messages), snappy block-compressed, POSTed in
 *   batches every few seconds. A store that is down keeps the samples queued (bounded: the oldest
 *   are dropped past `maxQueue`) and they are sent when it answers again; a 4xx (bad data) drops the
 *   batch, as Prometheus's own sender does.
 * - `RemoteQuery` evaluates PromQL through the store's HTTP query API (`/api/v1/query`,
 *   `/api/v1/query_range`, `/api/v1/label/__name__/values`): rules and dashboard queries then read
 *   the store, not Kefu's tables.
 *
 * Both URLs are the installation's settings (not a workspace's), so they may point at a private
 * address: requests go out without the SSRF guard, as probes do.
 */
import { compress } from 'snappyjs';
import { AppError, badRequest } from '../../lib/errors.ts';
import { outboundRequest } from '../../lib/outbound.ts';
import type { InstantResult, RangeResult } from './query.ts';
import type { Labels, Point, Sample } from './store.ts';

// ---- protobuf (proto3 wire format) --------------------------------------------------------------

class ProtoWriter {
  private readonly parts: Buffer[] = [];
  private size = 0;
  private push(b: Buffer) {
    this.parts.push(b);
    this.size += b.length;
  }
  varint(n: number): this {
    const bytes: number[] = [];
    // Non-negative integers up to 2^53 (timestamps in ms are far below).
    while (n >= 0x80) {
      bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    bytes.push(n);
    this.push(Buffer.from(bytes));
    return this;
  }
  tag(field: number, wireType: 0 | 1 | 2): this {
    return this.varint(field * 8 + wireType);
  }
  bytes(field: number, b: Buffer): this {
    this.tag(field, 2).varint(b.length);
    this.push(b);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }
  double(field: number, v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.tag(field, 1);
    this.push(b);
    return this;
  }
  int64(field: number, v: number): this {
    if (v < 0) throw new RangeError('negative timestamps are not encoded');
    return this.tag(field, 0).varint(v);
  }
  finish(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

export type RemoteSeries = { labels: Labels; points: Point[] };

/**
 * `prometheus.WriteRequest { repeated TimeSeries timeseries = 1; }` with
 * `TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }`,
 * `Label { string name = 1; string value = 2; }`, `Sample { double value = 1; int64 timestamp = 2; }`.
 * Labels are sorted by name (the receiver requires it) and must include `__name__`.
 */
export function encodeWriteRequest(series: readonly RemoteSeries[]): Buffer {
  const req = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const name of Object.keys(s.labels).sort())
      ts.bytes(1, new ProtoWriter().string(1, name).string(2, s.labels[name]).finish());
    for (const [t, v] of s.points) ts.bytes(2, new ProtoWriter().double(1, v).int64(2, t).finish());
    req.bytes(1, ts.finish());
  }
  return req.finish();
}

/** Samples grouped into series, each series' points in time order (the receiver rejects out-of-order ones). */
export function toRemoteSeries(batch: readonly { t: number; sample: Sample }[]): RemoteSeries[] {
  const byKey = new Map<string, RemoteSeries>();
  for (const { t, sample } of batch) {
    const labels: Labels = { ...sample.labels, __name__: sample.name };
    const key = JSON.stringify(
      Object.keys(labels)
        .sort()
        .map((k) => [k, labels[k]]),
    );
    const s = byKey.get(key) ?? { labels, points: [] };
    s.points.push([t, sample.value]);
    byKey.set(key, s);
  }
  for (const s of byKey.values()) {
    s.points.sort((a, b) => a[0] - b[0]);
    // One value per instant: the last written wins.
    s.points = s.points.filter((p, i) => i === s.points.length - 1 || s.points[i + 1][0] !== p[0]);
  }
  return [...byKey.values()];
}

// ---- remote-write -------------------------------------------------------------------------------

type Log = { warn(obj: object, msg: string): void };

export class RemoteWriter {
  private queue: { t: number; sample: Sample }[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Samples sent, dropped (queue full or refused), and the last error, for the ops pages and tests. */
  readonly stats = { sent: 0, dropped: 0, batches: 0, lastError: null as string | null };
  private readonly o: { url: string; log: Log; maxQueue: number; batchSize: number; timeoutMs: number };

  constructor(o: { url: string; log: Log; maxQueue?: number; batchSize?: number; timeoutMs?: number }) {
    this.o = { maxQueue: 200_000, batchSize: 5_000, timeoutMs: 10_000, ...o };
  }

  /** Queues this write's samples (non-finite values too: Prometheus stores NaN and ±Inf). */
  enqueue(t: number, samples: readonly Sample[]): void {
    for (const sample of samples) this.queue.push({ t, sample });
    const over = this.queue.length - this.o.maxQueue;
    if (over > 0) {
      this.queue.splice(0, over);
      this.stats.dropped += over;
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  start(everyMs = 5_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Sends what is queued, in batches; stops at the first batch the store does not take (kept for the next flush). */
  flush(): Promise<void> {
    this.flushing ??= this.sendAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.slice(0, this.o.batchSize);
      const outcome = await this.send(batch);
      if (outcome === 'retry') return;
      this.queue.splice(0, batch.length);
      if (outcome === 'sent') this.stats.sent += batch.length;
      else this.stats.dropped += batch.length;
    }
  }

  private async send(batch: { t: number; sample: Sample }[]): Promise<'sent' | 'refused' | 'retry'> {
    const body = Buffer.from(compress(encodeWriteRequest(toRemoteSeries(batch))));
    try {
      const res = await outboundRequest(this.o.url, {
        method: 'POST',
        guard: false,
        timeoutMs: this.o.timeoutMs,
        maxBytes: 64 * 1024,
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
          'user-agent': 'kefu-remote-write',
        },
        body,
      });
      this.stats.batches++;
      if (res.status >= 200 && res.status < 300) {
        this.stats.lastError = null;
        return 'sent';
      }
      this.stats.lastError = `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
      // Bad data will not get better by sending it again; 429 and 5xx might.
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        this.o.log.warn({ status: res.status, error: this.stats.lastError }, 'remote-write refused a batch');
        return 'refused';
      }
    } catch (err) {
      this.stats.lastError = (err as Error).message;
    }
    this.o.log.warn({ error: this.stats.lastError, queued: this.queue.length }, 'remote-write failed; will retry');
    return 'retry';
  }
}

// ---- query API ----------------------------------------------------------------------------------

type PromValue = [number, string];
type PromData =
  | { resultType: 'vector'; result: { metric: Labels; value: PromValue }[] }
  | { resultType: 'matrix'; result: { metric: Labels; values: PromValue[] }[] }
  | { resultType: 'scalar'; result: PromValue }
  | { resultType: 'string'; result: PromValue };

const num = (s: string): number => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

export class RemoteQuery {
  private readonly base: string;
  private readonly timeoutMs: number;
  constructor(base: string, timeoutMs = 30_000) {
    this.base = base.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  private async call<T>(path: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): Promise<T> {
    let res;
    const form = new URLSearchParams(params).toString();
    try {
      res = await outboundRequest(`${this.base}${path}${method === 'GET' && form ? `?${form}` : ''}`, {
        method,
        guard: false,
        timeoutMs: this.timeoutMs,
        maxBytes: 32 * 1024 * 1024,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(method === 'POST' ? { body: form } : {}),
      });
    } catch (err) {
      throw new AppError(502, 'remote_query_failed', `the remote query API did not answer: ${(err as Error).message}`);
    }
    let json: { status?: string; data?: T; error?: string; errorType?: string };
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new AppError(502, 'remote_query_failed', `the remote query API answered HTTP ${res.status}, not JSON`);
    }
    if (json.status === 'success' && res.status === 200) return json.data as T;
    // Prometheus: 400 bad_data (a query it cannot parse), 422 execution errors; both are the query's fault.
    if (res.status === 400 || res.status === 422) throw badRequest(`remote query: ${json.error ?? 'bad query'}`);
    throw new AppError(
      502,
      'remote_query_failed',
      `the remote query API failed (HTTP ${res.status}${json.error ? `: ${json.error}` : ''})`,
    );
  }

  async instant(expr: string, at: number): Promise<InstantResult> {
    const d = await this.call<PromData>('/api/v1/query', { query: expr, time: String(at / 1000) });
    switch (d.resultType) {
      case 'vector':
        return {
          resultType: 'vector',
          result: d.result.map((x) => ({ labels: x.metric, value: num(x.value[1]) })),
        };
      case 'matrix':
        return {
          resultType: 'matrix',
          result: d.result.map((x) => ({ labels: x.metric, value: num(x.values.at(-1)?.[1] ?? 'NaN') })),
        };
      case 'scalar':
        return { resultType: 'scalar', result: num(d.result[1]) };
      default:
        return { resultType: 'string', result: d.result[1] };
    }
  }

  /** The same steps as the local range query: at most 500, ending at `to`. */
  async range(expr: string, from: number, to: number, step?: number): Promise<RangeResult> {
    if (!(to > from)) throw badRequest('`to` must come after `from`');
    const s = Math.max(step ?? 0, Math.ceil((to - from) / 500 / 1000) * 1000, 1000);
    const start = to - Math.floor((to - from) / s) * s;
    const d = await this.call<PromData>('/api/v1/query_range', {
      query: expr,
      start: String(start / 1000),
      end: String(to / 1000),
      step: String(s / 1000),
    });
    if (d.resultType !== 'matrix') return { step: s, series: [] };
    return {
      step: s,
      series: d.result.map((x) => ({
        labels: x.metric,
        points: x.values.map(([t, v]) => [Math.round(t * 1000), num(v)] as Point).filter(([, v]) => Number.isFinite(v)),
      })),
    };
  }

  async names(): Promise<string[]> {
    return this.call<string[]>('/api/v1/label/__name__/values', {}, 'GET');
  }
}
