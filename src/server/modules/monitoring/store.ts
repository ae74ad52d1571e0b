/**
 * The series store: samples in Kefu's own database, written in batches. A series is a metric name
 * plus its labels (`node` among them); each batch writes the raw samples and moves the minute and
 * hour rollups (count, sum, min, max, last) of the same series in one transaction, so downsampling
 * needs no second pass and a restart loses nothing written. Reads pick the finest resolution that
 * still holds the range (raw, then 1 min, then 1 h).
 */
import { sql } from 'kysely';
import type { Db, Engine, Executor } from '../../db/index.ts';
import { own } from './schema.ts';

export type Labels = Record<string, string>;
export type SeriesKind = 'gauge' | 'counter';
export type Sample = { name: string; labels: Labels; value: number; kind?: SeriesKind };
export type Point = [t: number, v: number];
export type Series = { id: number; name: string; labels: Labels; kind: SeriesKind; points: Point[] };
export type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
export type Resolution = 0 | 60 | 3600;

export type Retention = { rawHours: number; minuteDays: number; hourDays: number };

const chunk = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/** Labels as stored: JSON with sorted keys, so equal label sets are equal strings. */
export function canonicalLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, String(labels[k])])));
}

/** Whether a label set passes the matchers (a missing label is the empty string, as in Prometheus). */
export function matches(labels: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    const v = labels[m.name] ?? '';
    if (m.op === '=' && v !== m.value) return false;
    if (m.op === '!=' && v === m.value) return false;
    if (m.op === '=~' || m.op === '!~') {
      const hit = new RegExp(`^(?:${m.value})$`).test(v);
      if ((m.op === '=~') !== hit) return false;
    }
  }
  return true;
}

type StoreDeps = { db: Db; engine: Engine };

export class SeriesStore {
  private readonly ids = new Map<string, { id: number; kind: SeriesKind }>();
  private readonly deps: StoreDeps;
  constructor(deps: StoreDeps) {
    this.deps = deps;
  }

  /** The ids of these series, creating the missing ones (idempotent under races: unique (name, labels)). */
  private async idsOf(samples: readonly Sample[]): Promise<number[]> {
    const keys = samples.map((x) => `${x.name}\u0000${canonicalLabels(x.labels)}`);
    const missing = [...new Set(keys.filter((k) => !this.ids.has(k)))];
    if (missing.length) {
      const db = own(this.deps.db);
      const kindOf = new Map(samples.map((x, i) => [keys[i], x.kind ?? 'gauge']));
      const now = new Date().toISOString();
      for (const part of chunk(missing, 200)) {
        await db
          .insertInto('monitoring_series')
          .values(
            part.map((k) => {
              const [name, labels] = k.split('\u0000');
              return { name, labels, kind: kindOf.get(k)!, created_at: now };
            }),
          )
          .onConflict((oc) => oc.columns(['name', 'labels']).doNothing())
          .execute();
        const names = [...new Set(part.map((k) => k.split('\u0000')[0]))];
        const rows = await db
          .selectFrom('monitoring_series')
          .select(['id', 'name', 'labels', 'kind'])
          .where('name', 'in', names)
          .execute();
        for (const r of rows) this.ids.set(`${r.name}\u0000${r.labels}`, { id: r.id, kind: r.kind as SeriesKind });
      }
    }
    return keys.map((k) => this.ids.get(k)!.id);
  }

  /**
   * Writes one batch of samples taken at `t` (epoch ms): the raw samples and the rollups, in one
   * transaction. Non-finite values are dropped; a series given twice keeps its last value.
   */
  async write(t: number, samples: readonly Sample[]): Promise<number> {
    const finite = [...new Map(samples.filter((x) => Number.isFinite(x.value)).map((x) => [key(x), x])).values()];
    if (!finite.length) return 0;
    const ids = await this.idsOf(finite);
    const rows = finite.map((x, i) => ({ series_id: ids[i], t, v: x.value }));
    const pg = this.deps.engine === 'postgres';
    const least = (a: string, b: string) => sql<number>`${sql.raw(pg ? 'least' : 'min')}(${sql.raw(a)}, ${sql.raw(b)})`;
    const greatest = (a: string, b: string) =>
      sql<number>`${sql.raw(pg ? 'greatest' : 'max')}(${sql.raw(a)}, ${sql.raw(b)})`;
    await this.deps.db.transaction().execute(async (tx) => {
      const db = own(tx);
      for (const part of chunk(rows, 500)) {
        await db
          .insertInto('monitoring_samples')
          .values(part)
          .onConflict((oc) => oc.columns(['series_id', 't']).doUpdateSet({ v: (eb) => eb.ref('excluded.v') }))
          .execute();
        for (const res of [60, 3600]) {
          const bucket = Math.floor(t / (res * 1000)) * res * 1000;
          await db
            .insertInto('monitoring_rollups')
            .values(
              part.map((r) => ({
                series_id: r.series_id,
                res,
                t: bucket,
                n: 1,
                sum: r.v,
                min: r.v,
                max: r.v,
                last: r.v,
              })),
            )
            .onConflict((oc) =>
              oc.columns(['series_id', 'res', 't']).doUpdateSet({
                n: sql<number>`monitoring_rollups.n + 1`,
                sum: sql<number>`monitoring_rollups.sum + excluded.sum`,
                min: least('monitoring_rollups.min', 'excluded.min'),
                max: greatest('monitoring_rollups.max', 'excluded.max'),
                last: sql<number>`excluded.last`,
              }),
            )
            .execute();
        }
      }
    });
    return rows.length;
  }

  /** The series of a metric whose labels pass the matchers (no points). */
  async find(name: string, matchers: readonly Matcher[] = [], db: Executor = this.deps.db): Promise<Series[]> {
    const rows = await own(db)
      .selectFrom('monitoring_series')
      .select(['id', 'name', 'labels', 'kind'])
      .where('name', '=', name)
      .execute();
    return rows
      .map((r) => ({
        id: r.id,
        name: r.name,
        labels: JSON.parse(r.labels) as Labels,
        kind: r.kind as SeriesKind,
        points: [],
      }))
      .filter((x) => matches(x.labels, matchers));
  }

  /** Metric names known to the store (the rule editor's and dashboards' pickers; unknown-metric checks). */
  async names(): Promise<string[]> {
    const rows = await own(this.deps.db)
      .selectFrom('monitoring_series')
      .select('name')
      .distinct()
      .orderBy('name')
      .execute();
    return rows.map((r) => r.name);
  }

  /**
   * Points of the matching series in (from, to]: raw samples, or at `res` the rollups' mean (gauges)
   * or last value (counters), stamped at the end of their bucket.
   */
  async read(
    name: string,
    matchers: readonly Matcher[],
    from: number,
    to: number,
    res: Resolution = 0,
  ): Promise<Series[]> {
    const series = await this.find(name, matchers);
    if (!series.length) return [];
    const byId = new Map(series.map((x) => [x.id, x]));
    const db = own(this.deps.db);
    for (const ids of chunk([...byId.keys()], 500)) {
      if (res === 0) {
        const rows = await db
          .selectFrom('monitoring_samples')
          .select(['series_id', 't', 'v'])
          .where('series_id', 'in', ids)
          .where('t', '>', from)
          .where('t', '<=', to)
          .orderBy('series_id')
          .orderBy('t')
          .execute();
        for (const r of rows) byId.get(r.series_id)!.points.push([Number(r.t), r.v]);
      } else {
        const rows = await db
          .selectFrom('monitoring_rollups')
          .select(['series_id', 't', 'n', 'sum', 'last'])
          .where('series_id', 'in', ids)
          .where('res', '=', res)
          .where('t', '>', from - res * 1000)
          .where('t', '<=', to)
          .orderBy('series_id')
          .orderBy('t')
          .execute();
        for (const r of rows) {
          const x = byId.get(r.series_id)!;
          x.points.push([Number(r.t) + res * 1000, x.kind === 'counter' ? r.last : r.sum / r.n]);
        }
      }
    }
    return series;
  }

  /** Deletes what is past retention (raw, minute and hour rollups); returns the rows deleted. */
  async prune(now: number, r: Retention): Promise<number> {
    const db = own(this.deps.db);
    const raw = await db
      .deleteFrom('monitoring_samples')
      .where('t', '<', now - r.rawHours * 3600_000)
      .executeTakeFirst();
    const minute = await db
      .deleteFrom('monitoring_rollups')
      .where('res', '=', 60)
      .where('t', '<', now - r.minuteDays * 86400_000)
      .executeTakeFirst();
    const hour = await db
      .deleteFrom('monitoring_rollups')
      .where('res', '=', 3600)
      .where('t', '<', now - r.hourDays * 86400_000)
      .executeTakeFirst();
    return Number(raw.numDeletedRows) + Number(minute.numDeletedRows) + Number(hour.numDeletedRows);
  }
}

const key = (x: Sample) => `${x.name}\u0000${canonicalLabels(x.labels)}`;

/** The finest resolution that still holds `from` (raw within its retention, then minutes, then hours). */
export function resolutionFor(now: number, from: number, r: Retention, maxPoints = 2000, to = now): Resolution {
  const span = to - from;
  if (from >= now - r.rawHours * 3600_000 && span / 15_000 <= maxPoints) return 0;
  if (from >= now - r.minuteDays * 86400_000 && span / 60_000 <= maxPoints) return 60;
  return 3600;
}
