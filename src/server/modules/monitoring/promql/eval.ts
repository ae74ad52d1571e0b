/**
 * Evaluates the PromQL subset at one instant with Prometheus's semantics: instant selectors look
 * back 5 minutes for the latest sample; `rate`/`increase` extrapolate as Prometheus does (counter
 * resets, the range's edges); functions and arithmetic drop the metric name; comparisons filter
 * unless `bool`; vector matching is one-to-one on all labels but the name, or `on`/`ignoring`.
 */
import { matches, type Labels, type Point } from '../store.ts';
import { labelReplace } from './label-replace.ts';
import { PromqlError, type Expr } from './parse.ts';

export type Sample = { labels: Labels; v: number };
export type Value =
  | { t: 'scalar'; v: number }
  | { t: 'string'; v: string }
  | { t: 'vector'; v: Sample[] }
  | { t: 'matrix'; v: { labels: Labels; points: Point[] }[] };

/** Where series come from: points of `name` matching the matchers in (from, to]. Labels carry no `__name__`. */
export type SeriesSource = {
  select(
    name: string,
    matchers: Extract<Expr, { t: 'sel' }>['matchers'],
    from: number,
    to: number,
  ): Promise<{ labels: Labels; points: Point[] }[]>;
};

export const lookbackMs = 5 * 60_000;

/** A read `evaluate` makes: the points of metric `name` in (from, to]. */
export type Window = { name: string; from: number; to: number };

/**
 * The reads `evaluate(e, at)` makes, one per selector (the windows of the `sel` and `range` cases
 * below): a rule cycle reads each metric once for all of its rules (shared-reads.ts).
 */
export function windowsOf(e: Expr, at: number): Window[] {
  switch (e.t) {
    case 'sel':
      return [{ name: e.name, from: at - e.offset - lookbackMs, to: at - e.offset }];
    case 'range':
      return [{ name: e.sel.name, from: at - e.sel.offset - e.range, to: at - e.sel.offset }];
    case 'call':
      return e.args.flatMap((x) => windowsOf(x, at));
    case 'agg':
      return [...(e.param ? windowsOf(e.param, at) : []), ...windowsOf(e.expr, at)];
    case 'bin':
      return [...windowsOf(e.lhs, at), ...windowsOf(e.rhs, at)];
    case 'neg':
      return windowsOf(e.expr, at);
    default:
      return [];
  }
}

const withoutName = (l: Labels): Labels => {
  const { __name__: _, ...rest } = l;
  return rest;
};

function signature(l: Labels, on: string[] | null, ignoring: string[] | null): string {
  const keys = on
    ? [...on].sort()
    : Object.keys(l)
        .filter((k) => k !== '__name__' && !(ignoring ?? []).includes(k))
        .sort();
  return keys.map((k) => `${k}\u0001${l[k] ?? ''}`).join('\u0002');
}

/** Prometheus's extrapolatedRate (promql/functions.go). */
export function extrapolatedRate(
  points: Point[],
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean,
): number | null {
  if (points.length < 2) return null;
  const first = points[0];
  const last = points.at(-1)!;
  let result = last[1] - first[1];
  if (isCounter)
    for (let i = 1; i < points.length; i++) if (points[i][1] < points[i - 1][1]) result += points[i - 1][1];
  let durationToStart = (first[0] - rangeStart) / 1000;
  const durationToEnd = (rangeEnd - last[0]) / 1000;
  const sampled = (last[0] - first[0]) / 1000;
  const average = sampled / (points.length - 1);
  if (isCounter && result > 0 && first[1] >= 0) {
    const durationToZero = sampled * (first[1] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : average / 2;
  interval += durationToEnd < threshold ? durationToEnd : average / 2;
  result *= interval / sampled;
  if (isRate) result /= (rangeEnd - rangeStart) / 1000;
  return result;
}

/** Prometheus's quantile (linear interpolation between closest ranks). */
export function quantile(q: number, values: number[]): number {
  if (!values.length) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

/** Least-squares slope and intercept at `at` (x in seconds from `at`). */
function linearRegression(points: Point[], at: number): { slope: number; intercept: number } {
  const n = points.length;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  for (const [t, v] of points) {
    const x = (t - at) / 1000;
    sx += x;
    sy += v;
    sxy += x * v;
    sxx += x * x;
  }
  const cov = sxy - (sx * sy) / n;
  const variance = sxx - (sx * sx) / n;
  const slope = variance === 0 ? 0 : cov / variance;
  return { slope, intercept: sy / n - (slope * sx) / n };
}

const arith: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
};
const compare: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
};

export async function evaluate(e: Expr, at: number, src: SeriesSource): Promise<Value> {
  const ev = (x: Expr) => evaluate(x, at, src);
  switch (e.t) {
    case 'num':
      return { t: 'scalar', v: e.v };
    case 'str':
      return { t: 'string', v: e.v };
    case 'sel': {
      const t = at - e.offset;
      const series = await src.select(e.name, e.matchers, t - lookbackMs, t);
      const v: Sample[] = [];
      for (const s of series) {
        const last = s.points.at(-1);
        if (last) v.push({ labels: { __name__: e.name, ...s.labels }, v: last[1] });
      }
      return { t: 'vector', v };
    }
    case 'range': {
      const t = at - e.sel.offset;
      const series = await src.select(e.sel.name, e.sel.matchers, t - e.range, t);
      return {
        t: 'matrix',
        v: series.map((s) => ({ labels: { __name__: e.sel.name, ...s.labels }, points: s.points })),
      };
    }
    case 'neg': {
      const v = await ev(e.expr);
      if (v.t === 'scalar') return { t: 'scalar', v: -v.v };
      if (v.t === 'vector') return { t: 'vector', v: v.v.map((s) => ({ labels: withoutName(s.labels), v: -s.v })) };
      throw new PromqlError('unary minus needs a number or a vector', 0);
    }
    case 'call':
      return call(e, at, src);
    case 'agg':
      return aggregate(e, at, src);
    case 'bin':
      return binary(e, await ev(e.lhs), await ev(e.rhs));
  }
}

const needMatrix = (fn: string, v: Value) => {
  if (v.t !== 'matrix') throw new PromqlError(`${fn} needs a range vector such as x[5m]`, 0);
  return v.v;
};
const needVector = (fn: string, v: Value) => {
  if (v.t !== 'vector') throw new PromqlError(`${fn} needs an instant vector`, 0);
  return v.v;
};
const needScalar = (fn: string, v: Value) => {
  if (v.t !== 'scalar') throw new PromqlError(`${fn} needs a number`, 0);
  return v.v;
};

async function call(e: Extract<Expr, { t: 'call' }>, at: number, src: SeriesSource): Promise<Value> {
  const args = await Promise.all(e.args.map((a) => evaluate(a, at, src)));
  const fn = e.fn;
  const overTime = (f: (values: number[], points: Point[]) => number | null, argIndex = 0): Value => {
    const out: Sample[] = [];
    for (const s of needMatrix(fn, args[argIndex])) {
      if (!s.points.length) continue;
      const v = f(
        s.points.map((p) => p[1]),
        s.points,
      );
      if (v !== null) out.push({ labels: withoutName(s.labels), v });
    }
    return { t: 'vector', v: out };
  };
  const range = e.args[0]?.t === 'range' ? e.args[0] : null;
  const start = range ? at - range.sel.offset - range.range : at;
  const end = range ? at - range.sel.offset : at;
  switch (fn) {
    case 'rate':
    case 'increase':
    case 'delta':
      return overTime((_, p) => extrapolatedRate(p, start, end, fn !== 'delta', fn === 'rate'));
    case 'irate':
      return overTime((_, p) => {
        if (p.length < 2) return null;
        const [a, b] = p.slice(-2);
        const d = b[1] < a[1] ? b[1] : b[1] - a[1];
        return d / ((b[0] - a[0]) / 1000);
      });
    case 'deriv':
      return overTime((_, p) => (p.length < 2 ? null : linearRegression(p, p[0][0]).slope));
    case 'avg_over_time':
      return overTime((v) => v.reduce((a, b) => a + b, 0) / v.length);
    case 'sum_over_time':
      return overTime((v) => v.reduce((a, b) => a + b, 0));
    case 'max_over_time':
      return overTime((v) => Math.max(...v));
    case 'min_over_time':
      return overTime((v) => Math.min(...v));
    case 'count_over_time':
      return overTime((v) => v.length);
    case 'last_over_time':
      return overTime((v) => v.at(-1)!);
    case 'quantile_over_time': {
      const q = needScalar(fn, args[0]);
      return overTime((v) => quantile(q, v), 1);
    }
    case 'predict_linear': {
      const seconds = needScalar(fn, args[1]);
      return overTime((_, p) => {
        if (p.length < 2) return null;
        const { slope, intercept } = linearRegression(p, at);
        return slope * seconds + intercept;
      });
    }
    case 'absent':
    case 'absent_over_time': {
      const v = fn === 'absent' ? needVector(fn, args[0]) : needMatrix(fn, args[0]).filter((s) => s.points.length);
      if (v.length) return { t: 'vector', v: [] };
      const arg = e.args[0];
      const sel = arg.t === 'sel' ? arg : arg.t === 'range' ? arg.sel : null;
      const labels: Labels = {};
      for (const m of sel?.matchers ?? []) if (m.op === '=') labels[m.name] = m.value;
      return { t: 'vector', v: [{ labels, v: 1 }] };
    }
    case 'abs':
    case 'clamp_min':
    case 'clamp_max': {
      const bound = fn === 'abs' ? 0 : needScalar(fn, args[1]);
      const f =
        fn === 'abs'
          ? Math.abs
          : fn === 'clamp_min'
            ? (x: number) => Math.max(x, bound)
            : (x: number) => Math.min(x, bound);
      return { t: 'vector', v: needVector(fn, args[0]).map((s) => ({ labels: withoutName(s.labels), v: f(s.v) })) };
    }
    case 'label_replace':
      return labelReplace(fn, args);
    case 'time':
      return { t: 'scalar', v: at / 1000 };
    case 'vector':
      return { t: 'vector', v: [{ labels: {}, v: needScalar(fn, args[0]) }] };
    case 'scalar': {
      const v = needVector(fn, args[0]);
      return { t: 'scalar', v: v.length === 1 ? v[0].v : NaN };
    }
  }
  throw new PromqlError(`function ${fn} is not in Kefu's PromQL subset`, 0);
}

async function aggregate(e: Extract<Expr, { t: 'agg' }>, at: number, src: SeriesSource): Promise<Value> {
  const input = needVector(e.op, await evaluate(e.expr, at, src));
  const q = e.param ? needScalar(e.op, await evaluate(e.param, at, src)) : 0;
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const s of input) {
    const labels: Labels = {};
    if (e.by) for (const k of e.by) if (s.labels[k] !== undefined) labels[k] = s.labels[k];
    if (e.without)
      for (const [k, v] of Object.entries(s.labels)) if (k !== '__name__' && !e.without.includes(k)) labels[k] = v;
    const key = signature(labels, null, null);
    const g = groups.get(key) ?? { labels, values: [] };
    g.values.push(s.v);
    groups.set(key, g);
  }
  const f: Record<string, (v: number[]) => number> = {
    sum: (v) => v.reduce((a, b) => a + b, 0),
    avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
    min: (v) => Math.min(...v),
    max: (v) => Math.max(...v),
    count: (v) => v.length,
    quantile: (v) => quantile(q, v),
  };
  return { t: 'vector', v: [...groups.values()].map((g) => ({ labels: g.labels, v: f[e.op](g.values) })) };
}

function binary(e: Extract<Expr, { t: 'bin' }>, l: Value, r: Value): Value {
  const op = e.op;
  if (op === 'and' || op === 'or' || op === 'unless') {
    if (l.t !== 'vector' || r.t !== 'vector') throw new PromqlError(`${op} works between instant vectors`, 0);
    const sig = (s: Sample) => signature(s.labels, e.on, e.ignoring);
    const right = new Set(r.v.map(sig));
    if (op === 'and') return { t: 'vector', v: l.v.filter((s) => right.has(sig(s))) };
    if (op === 'unless') return { t: 'vector', v: l.v.filter((s) => !right.has(sig(s))) };
    const left = new Set(l.v.map(sig));
    return { t: 'vector', v: [...l.v, ...r.v.filter((s) => !left.has(sig(s)))] };
  }
  const isCmp = op in compare;
  const apply = (a: number, b: number): number | null => {
    if (!isCmp) return arith[op](a, b);
    const hit = compare[op](a, b);
    return e.bool ? (hit ? 1 : 0) : hit ? a : null;
  };
  if (l.t === 'scalar' && r.t === 'scalar') {
    if (isCmp && !e.bool) throw new PromqlError('comparisons between numbers need the bool modifier', 0);
    return { t: 'scalar', v: apply(l.v, r.v)! };
  }
  const dropName = !isCmp || e.bool;
  const label = (s: Sample) => (dropName ? withoutName(s.labels) : s.labels);
  if (l.t === 'vector' && r.t === 'scalar') {
    const out: Sample[] = [];
    for (const s of l.v) {
      const v = apply(s.v, r.v);
      if (v !== null) out.push({ labels: label(s), v });
    }
    return { t: 'vector', v: out };
  }
  if (l.t === 'scalar' && r.t === 'vector') {
    const out: Sample[] = [];
    for (const s of r.v) {
      const v = apply(l.v, s.v);
      // A filtering comparison keeps the vector's value.
      if (v !== null) out.push({ labels: label(s), v: isCmp && !e.bool ? s.v : v });
    }
    return { t: 'vector', v: out };
  }
  if (l.t === 'vector' && r.t === 'vector') {
    const right = new Map<string, Sample>();
    for (const s of r.v) {
      const k = signature(s.labels, e.on, e.ignoring);
      if (right.has(k)) throw new PromqlError('many-to-many matching: the right side has duplicate label sets', 0);
      right.set(k, s);
    }
    const out: Sample[] = [];
    const seen = new Set<string>();
    for (const s of l.v) {
      const k = signature(s.labels, e.on, e.ignoring);
      const m = right.get(k);
      if (!m) continue;
      if (seen.has(k)) throw new PromqlError('many-to-many matching: the left side has duplicate label sets', 0);
      seen.add(k);
      const v = apply(s.v, m.v);
      if (v === null) continue;
      // One-to-one matching keeps only the `on` labels, or drops the `ignoring` ones (resultMetric).
      let labels = label(s);
      if (e.on) labels = Object.fromEntries(Object.entries(labels).filter(([key]) => e.on!.includes(key)));
      else if (e.ignoring)
        labels = Object.fromEntries(Object.entries(labels).filter(([key]) => !e.ignoring!.includes(key)));
      out.push({ labels, v });
    }
    return { t: 'vector', v: out };
  }
  throw new PromqlError(`operator ${op} does not apply to strings or range vectors`, 0);
}

/** A source over in-memory series (tests, and recorded series compared with Prometheus). */
export function memorySource(series: { name: string; labels: Labels; points: Point[] }[]): SeriesSource {
  return {
    async select(name, matchers, from, to) {
      return series
        .filter((s) => s.name === name && matches(s.labels, matchers))
        .map((s) => ({ labels: s.labels, points: s.points.filter(([t]) => t > from && t <= to) }))
        .filter((s) => s.points.length);
    },
  };
}
