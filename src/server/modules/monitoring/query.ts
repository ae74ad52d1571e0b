/**
 * The query API behind the dashboards and the rule editor's "test this expression" box: an
 * expression at one instant, or over a range in steps. A range query reads each selector's series
 * once for the whole window (at the resolution the window calls for) and evaluates the steps in
 * memory.
 */
import { badRequest } from '../../lib/errors.ts';
import { evaluate, lookbackMs, type SeriesSource, type Value } from './promql/eval.ts';
import { parsePromql, PromqlError, selectorsOf, type Expr } from './promql/parse.ts';
import { resolutionFor, type Labels, type Point, type Retention, type SeriesStore } from './store.ts';

export type InstantResult = { resultType: Value['t']; result: { labels: Labels; value: number }[] | number | string };
export type RangeResult = { step: number; series: { labels: Labels; points: Point[] }[] };

export function parseOrBadRequest(expr: string): Expr {
  try {
    return parsePromql(expr);
  } catch (err) {
    if (err instanceof PromqlError) throw badRequest(err.message);
    throw err;
  }
}

function longestRange(e: Expr): number {
  switch (e.t) {
    case 'range':
      return e.range + e.sel.offset;
    case 'sel':
      return lookbackMs + e.offset;
    case 'call':
      return Math.max(0, ...e.args.map(longestRange));
    case 'agg':
      return Math.max(longestRange(e.expr), e.param ? longestRange(e.param) : 0);
    case 'bin':
      return Math.max(longestRange(e.lhs), longestRange(e.rhs));
    case 'neg':
      return longestRange(e.expr);
    default:
      return 0;
  }
}

/** Reads each selector once over [from, to] and answers every step's select from memory. */
function windowSource(store: SeriesStore, from: number, to: number, res: 0 | 60 | 3600): SeriesSource {
  const cache = new Map<string, Promise<{ labels: Labels; points: Point[] }[]>>();
  return {
    async select(name, matchers, a, b) {
      const key = `${name}${JSON.stringify(matchers)}`;
      if (!cache.has(key)) cache.set(key, store.read(name, matchers, from, to, res));
      return (await cache.get(key)!)
        .map((s) => ({ labels: s.labels, points: s.points.filter(([t]) => t > a && t <= b) }))
        .filter((s) => s.points.length);
    },
  };
}

const asError = (err: unknown) => (err instanceof PromqlError ? badRequest(err.message) : err);

export async function instantQuery(store: SeriesStore, expr: string, at: number, r: Retention): Promise<InstantResult> {
  const e = parseOrBadRequest(expr);
  const from = at - longestRange(e);
  const v = await evaluate(e, at, windowSource(store, from, at, resolutionFor(at, from, r, 20_000, at))).catch(
    (err) => {
      throw asError(err);
    },
  );
  if (v.t === 'vector') return { resultType: 'vector', result: v.v.map((x) => ({ labels: x.labels, value: x.v })) };
  if (v.t === 'scalar' || v.t === 'string') return { resultType: v.t, result: v.v };
  return { resultType: 'matrix', result: v.v.map((x) => ({ labels: x.labels, value: x.points.at(-1)?.[1] ?? NaN })) };
}

/** Evaluates at most 500 steps between `from` and `to`; the step grows with the range. */
export async function rangeQuery(
  store: SeriesStore,
  expr: string,
  from: number,
  to: number,
  now: number,
  r: Retention,
  step?: number,
): Promise<RangeResult> {
  if (!(to > from)) throw badRequest('`to` must come after `from`');
  const e = parseOrBadRequest(expr);
  const s = Math.max(step ?? 0, Math.ceil((to - from) / 500 / 1000) * 1000, 1000);
  const windowFrom = from - longestRange(e);
  const source = windowSource(store, windowFrom, to, resolutionFor(now, windowFrom, r, 20_000, to));
  const series = new Map<string, { labels: Labels; points: Point[] }>();
  for (let t = from; t <= to; t += s) {
    const v = await evaluate(e, t, source).catch((err) => {
      throw asError(err);
    });
    const items = v.t === 'vector' ? v.v : v.t === 'scalar' ? [{ labels: {}, v: v.v }] : [];
    for (const x of items) {
      if (!Number.isFinite(x.v)) continue;
      const key = JSON.stringify(x.labels);
      const entry = series.get(key) ?? { labels: x.labels, points: [] };
      entry.points.push([t, x.v]);
      series.set(key, entry);
    }
  }
  return { step: s, series: [...series.values()] };
}

/** Metric names an expression reads that no stored series carries (the rule editor warns). */
export async function unknownMetrics(store: SeriesStore, expr: Expr): Promise<string[]> {
  const names = new Set(await store.names());
  return [...new Set(selectorsOf(expr).map((x) => x.name))].filter((n) => !names.has(n));
}
