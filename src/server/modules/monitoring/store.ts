/**
 * The series store: samples in Kefu's own database, written in batches. A series is a metric name
 * plus its labels (`node` among them); each batch writes the raw samples and moves the minute and
 * hour rollups (count, sum, min, max, last) of the same series in one transaction, so downsampling
 * needs no second pass and a restart loses nothing written. Reads pick the finest resolution that
 * still holds the range (raw, then 1 min, then 1 h).
 */
import { sql } from 'kysely';
import type { Db, Engine, Executor } from '../../db/index.ts';
import { nextTurn } from '../../lib/turns.ts';
import type { SeriesWriter } from './series-writer.ts';
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

type StoreDeps = {
  db: Db;
  engine: Engine;
  /** SQLite: the batches' and retention's writes go to a worker thread's connection (series-writer.ts). */
  writer?: SeriesWriter;
};

export class SeriesStore {
  private readonly ids = new Map<string, { id: number; kind: SeriesKind }>();
  private readonly deps: StoreDeps;
  constructor(deps: StoreDeps) {
    this.deps = deps;
  }

  /** The ids of these series (`keys` as `seriesKey` gives them), creating the missing ones (idempotent under races: unique (name, labels)). */
  private async idsOf(keys: readonly string[], samples: readonly Sample[]): Promise<number[]> {
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
        await nextTurn();
      }
    }
    return keys.map((k) => this.ids.get(k)!.id);
  }

  /**
   * Writes one batch of samples taken at `t` (epoch ms): the raw samples and the rollups. Non-finite
   * values are dropped; a series given twice keeps its last value.
   *
   * A batch goes in chunks of `writeChunk` series, each one transaction of one statement per level
   * (raw, minute, hour) whatever its size: the rows go in as one parameter, a JSON array that
   * SQLite's json_each unpacks or arrays that PostgreSQL's unnest does. A series' raw sample and
   * its rollups are always committed together; the event loop (and other queries on SQLite's one
   * connection) get a turn between statements and chunks, so a batch of 5,000 series never holds
   * the loop for its whole length (docs/PERFORMANCE.md, "Monitoring"). With a `writer` (SQLite
   * servers) the same rows are written by its thread, in transactions of the same chunks.
   */
  async write(t: number, samples: readonly Sample[]): Promise<number> {
    const byKey = new Map<string, Sample>();
    for (const x of samples) if (Number.isFinite(x.value)) byKey.set(seriesKey(x), x);
    if (!byKey.size) return 0;
    const finite = [...byKey.values()];
    const ids = await this.idsOf([...byKey.keys()], finite);
    if (this.deps.writer)
      return this.deps.writer.write(
        t,
        ids,
        finite.map((x) => x.value),
      );
    const pg = this.deps.engine === 'postgres';
    const fn = (name: 'least' | 'greatest', col: string) =>
      sql.raw(`${pg ? name : name === 'least' ? 'min' : 'max'}(monitoring_rollups.${col}, excluded.${col})`);
    for (let i = 0; i < ids.length; i += writeChunk) {
      if (i) await nextTurn();
      const rows = rowsSource(pg, ids.slice(i, i + writeChunk), finite.slice(i, i + writeChunk));
      await this.deps.db.transaction().execute(async (tx) => {
        await sql`insert into monitoring_samples (series_id, t, v)
          select x.id, cast(${t} as bigint), x.v from ${rows} where true
          on conflict (series_id, t) do update set v = excluded.v`.execute(tx);
        for (const res of [60, 3600]) {
          await nextTurn();
          const bucket = Math.floor(t / (res * 1000)) * res * 1000;
          await sql`insert into monitoring_rollups (series_id, res, t, n, sum, min, max, last)
            select x.id, cast(${res} as integer), cast(${bucket} as bigint), 1, x.v, x.v, x.v, x.v from ${rows} where true
            on conflict (series_id, res, t) do update set
              n = monitoring_rollups.n + 1, sum = monitoring_rollups.sum + excluded.sum,
              min = ${fn('least', 'min')}, max = ${fn('greatest', 'max')}, last = excluded.last`.execute(tx);
        }
      });
    }
    return ids.length;
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

  /** Ends the writer's thread, if any (a later write starts it again). */
  async close(): Promise<void> {
    await this.deps.writer?.close();
  }

  /** Deletes what is past retention (raw, minute and hour rollups); returns the rows deleted. */
  async prune(now: number, r: Retention): Promise<number> {
    if (this.deps.writer)
      return this.deps.writer.prune({
        raw: now - r.rawHours * 3600_000,
        minute: now - r.minuteDays * 86400_000,
        hour: now - r.hourDays * 86400_000,
      });
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

/** A series' identity in the store's id cache: name and canonical labels. */
const seriesKey = (x: Sample) => `${x.name}\u0000${canonicalLabels(x.labels)}`;

/** Rows per write statement (about a millisecond of SQLite each): a 5,000-series batch is twenty statements per level. */
const writeChunk = 250;

/**
 * A batch's rows (series id, value) as a table `x(id, v)` fed by one or two parameters: a JSON array
 * unpacked by json_each on SQLite (a value read back is the same double: SQLite's text-to-real is
 * exact), arrays unnested on PostgreSQL.
 */
function rowsSource(pg: boolean, ids: readonly number[], samples: readonly Sample[]) {
  const vs = samples.map((x) => x.value);
  if (pg) return sql`unnest(cast(${ids} as integer[]), cast(${vs} as float8[])) as x(id, v)`;
  const json = JSON.stringify(ids.map((id, i) => [id, vs[i]]));
  return sql`(select cast(value ->> 0 as integer) as id, cast(value ->> 1 as real) as v from json_each(${json})) as x`;
}

/** Lets the event loop turn (timers, sockets) between pieces of a long piece of work. */

/** The finest resolution that still holds `from` (raw within its retention, then minutes, then hours). */
export function resolutionFor(now: number, from: number, r: Retention, maxPoints = 2000, to = now): Resolution {
  const span = to - from;
  if (from >= now - r.rawHours * 3600_000 && span / 15_000 <= maxPoints) return 0;
  if (from >= now - r.minuteDays * 86400_000 && span / 60_000 <= maxPoints) return 60;
  return 3600;
}
