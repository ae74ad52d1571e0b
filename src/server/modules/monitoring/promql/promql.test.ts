/**
 * The PromQL subset against hand-computed recorded series: selectors with lookback, rate/increase
 * with Prometheus's extrapolation, the *_over_time family, predict_linear, absent, aggregation,
 * arithmetic, comparisons (filtering and bool), vector matching and set operators, label_replace; bad input refused
 * with a reason and a position.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, extrapolatedRate, memorySource, quantile, type Value } from './eval.ts';
import { parsePromql, PromqlError, selectorsOf } from './parse.ts';

const T = 1_000_000_000_000; // evaluation instant (ms)
const s = (sec: number) => T + sec * 1000;
// A counter sampled every 15 s over the last 5 min, +30 per sample (2/s), reset once.
const counter: [number, number][] = [];
for (let i = 20; i >= 0; i--) counter.push([s(-i * 15), (20 - i) * 30]);
const reset = counter.map(([t, v], i): [number, number] => [t, i < 10 ? v : v - 300]);

const src = memorySource([
  { name: 'req_total', labels: { route: '/a', node: 'n1' }, points: counter },
  { name: 'req_total', labels: { route: '/b', node: 'n1' }, points: counter.map(([t, v]) => [t, v / 2]) },
  { name: 'reset_total', labels: {}, points: reset },
  {
    name: 'temp',
    labels: { room: 'a' },
    points: [
      [s(-60), 10],
      [s(-30), 20],
      [s(0), 30],
    ],
  },
  { name: 'temp', labels: { room: 'b' }, points: [[s(-400), 99]] }, // older than the 5 min lookback
  {
    name: 'disk_free',
    labels: { node: 'n1' },
    points: [
      [s(-3600), 1000],
      [s(-1800), 800],
      [s(0), 600],
    ],
  },
  { name: 'up', labels: { job: 'x', node: 'n1' }, points: [[s(0), 1]] },
  { name: 'up', labels: { job: 'y', node: 'n1' }, points: [[s(0), 0]] },
  { name: 'limit', labels: { job: 'x' }, points: [[s(0), 5]] },
]);

const run = async (q: string): Promise<Value> => evaluate(parsePromql(q), T, src);
const vec = async (q: string) => {
  const v = await run(q);
  if (v.t !== 'vector') throw new Error(`not a vector: ${v.t}`);
  return v.v
    .map((x) => ({ ...x, v: Math.round(x.v * 1e6) / 1e6 }))
    .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
};

describe('PromQL subset', () => {
  it('selects the latest sample within the 5-minute lookback, with label matchers', async () => {
    expect(await vec('temp')).toEqual([{ labels: { __name__: 'temp', room: 'a' }, v: 30 }]);
    expect(await vec('req_total{route=~"/(a|c)"}')).toEqual([
      { labels: { __name__: 'req_total', route: '/a', node: 'n1' }, v: 600 },
    ]);
    expect(await vec('req_total{route!="/a"}')).toHaveLength(1);
    expect(await vec('temp offset 30s')).toEqual([{ labels: { __name__: 'temp', room: 'a' }, v: 20 }]);
  });

  it('computes rate and increase as Prometheus does (extrapolation, counter resets)', async () => {
    // 21 samples covering exactly the 5 min window: 600 over 300 s, extrapolated by 7.5 s… up to 0 at start.
    expect(await vec('rate(req_total{route="/a"}[5m])')).toEqual([{ labels: { route: '/a', node: 'n1' }, v: 2 }]);
    expect(await vec('increase(req_total{route="/a"}[5m])')).toEqual([{ labels: { route: '/a', node: 'n1' }, v: 600 }]);
    // In (T−5m, T]: 30 … 270, reset, 0 … 300. The reset adds 270 back: 300 − 30 + 270 = 540 over the
    // 285 s sampled, extrapolated by 15 s at the start (the zero point is 15.8 s away): 540 × 300 / 285.
    expect(await vec('increase(reset_total[5m])')).toEqual([{ labels: {}, v: 568.421053 }]);
    // Hand-computed: 2 samples 60 s apart in a 120 s window, from 0 → 60; first sample at window start +60 s.
    const r = extrapolatedRate(
      [
        [s(-60), 0],
        [s(0), 60],
      ],
      s(-120),
      s(0),
      true,
      true,
    )!;
    // durationToZero = 60 * 0/60 = 0 < 60 → extrapolate 0 to the start; end 0 → interval 60 → 60/120 = 0.5
    expect(r).toBeCloseTo(0.5);
    expect(extrapolatedRate([[s(0), 1]], s(-60), s(0), true, true)).toBeNull();
  });

  it('computes the *_over_time family, quantiles and predict_linear', async () => {
    expect(await vec('avg_over_time(temp[5m])')).toEqual([{ labels: { room: 'a' }, v: 20 }]);
    expect(await vec('max_over_time(temp[5m])')).toEqual([{ labels: { room: 'a' }, v: 30 }]);
    expect(await vec('min_over_time(temp[45s])')).toEqual([{ labels: { room: 'a' }, v: 20 }]);
    expect(await vec('count_over_time(temp[10m])')).toEqual([
      { labels: { room: 'a' }, v: 3 },
      { labels: { room: 'b' }, v: 1 },
    ]);
    expect(await vec('quantile_over_time(0.5, temp[5m])')).toEqual([{ labels: { room: 'a' }, v: 20 }]);
    expect(quantile(0.9, [1, 2, 3, 4, 5])).toBeCloseTo(4.6);
    // 1000 → 600 over an hour, linear: in 24 h it is 600 − 24 × 400 = −9000.
    expect(await vec('predict_linear(disk_free[2h], 86400)')).toEqual([{ labels: { node: 'n1' }, v: -9000 }]);
    expect(await vec('predict_linear(disk_free[2h], 86400) < 0')).toHaveLength(1);
  });

  it('aggregates by and without labels', async () => {
    expect(await vec('sum(rate(req_total[5m]))')).toEqual([{ labels: {}, v: 3 }]);
    expect(await vec('sum by (route) (rate(req_total[5m]))')).toEqual([
      { labels: { route: '/a' }, v: 2 },
      { labels: { route: '/b' }, v: 1 },
    ]);
    expect(await vec('max without (route) (req_total)')).toEqual([{ labels: { node: 'n1' }, v: 600 }]);
    expect(await vec('count(up)')).toEqual([{ labels: {}, v: 2 }]);
    expect(await vec('quantile(0.5, req_total)')).toEqual([{ labels: {}, v: 450 }]);
    expect(await vec('avg by (node) (up)')).toEqual([{ labels: { node: 'n1' }, v: 0.5 }]);
  });

  it('compares (filter or bool), does arithmetic, matches vectors and applies set operators', async () => {
    expect(await vec('up == 0')).toEqual([{ labels: { __name__: 'up', job: 'y', node: 'n1' }, v: 0 }]);
    expect(await vec('up > bool 0')).toEqual([
      { labels: { job: 'x', node: 'n1' }, v: 1 },
      { labels: { job: 'y', node: 'n1' }, v: 0 },
    ]);
    expect(await vec('up * 100')).toEqual([
      { labels: { job: 'x', node: 'n1' }, v: 100 },
      { labels: { job: 'y', node: 'n1' }, v: 0 },
    ]);
    expect(await vec('up + on(job) limit')).toEqual([{ labels: { job: 'x' }, v: 6 }]);
    expect(await vec('up + ignoring(node) limit')).toEqual([{ labels: { job: 'x' }, v: 6 }]);
    expect(await vec('up == 1 and on(job) limit')).toHaveLength(1);
    expect(await vec('up unless on(job) limit')).toEqual([{ labels: { __name__: 'up', job: 'y', node: 'n1' }, v: 0 }]);
    expect(await vec('limit or on(job) up')).toHaveLength(2);
    expect(await run('1 + 2 * 3')).toEqual({ t: 'scalar', v: 7 });
    expect(await vec('-up')).toHaveLength(2);
  });

  it('tells absent series apart, with the equality labels of the selector', async () => {
    expect(await vec('absent(nothing{job="z",x=~"a"})')).toEqual([{ labels: { job: 'z' }, v: 1 }]);
    expect(await vec('absent(up)')).toEqual([]);
    expect(await vec('absent_over_time(temp{room="b"}[1m])')).toEqual([{ labels: { room: 'b' }, v: 1 }]);
  });

  it('label_replace sets, rewrites or removes a label as Prometheus does', async () => {
    // The anchored regex's groups fill the replacement; an empty source label matches "" (a constant label).
    expect(await vec('label_replace(up, "host", "$1-${2}", "node", "(n)([0-9])")')).toEqual([
      { labels: { __name__: 'up', job: 'x', node: 'n1', host: 'n-1' }, v: 1 },
      { labels: { __name__: 'up', job: 'y', node: 'n1', host: 'n-1' }, v: 0 },
    ]);
    expect(await vec('label_replace(sum(up), "kind", "agent", "", "")')).toEqual([{ labels: { kind: 'agent' }, v: 1 }]);
    // No match (the regex is anchored): unchanged; an empty result removes the label.
    expect(await vec('label_replace(limit, "job", "z", "job", "")')).toEqual([
      { labels: { __name__: 'limit', job: 'x' }, v: 5 },
    ]);
    expect(await vec('label_replace(limit, "job", "", "job", "x")')).toEqual([{ labels: { __name__: 'limit' }, v: 5 }]);
    // Two constant-labelled sums side by side (the overview's online chart).
    expect(
      await vec('label_replace(sum(up), "k", "a", "", "") or label_replace(sum(limit), "k", "b", "", "")'),
    ).toEqual([
      { labels: { k: 'a' }, v: 1 },
      { labels: { k: 'b' }, v: 5 },
    ]);
    await expect(run('label_replace(up, "1x", "a", "", "")')).rejects.toThrow(/invalid destination label/);
    await expect(run('label_replace(up, "x", "a", "", "(")')).rejects.toThrow(/invalid regular expression/);
  });

  it('refuses invalid PromQL and what is outside the subset, with a position', async () => {
    const bad = [
      '',
      'rate(',
      'foo bar',
      'sum(x',
      'topk(3, x)',
      'histogram_quantile(0.9, x)',
      'x{a=~"("}',
      'a + on(x) group_left b',
      '1 > 2',
      'rate(x)',
    ];
    for (const q of bad) {
      let err: unknown;
      try {
        parsePromql(q);
      } catch (e) {
        err = e;
      }
      if (!err) {
        // Type errors show at evaluation.
        await expect(run(q), q).rejects.toBeInstanceOf(PromqlError);
        continue;
      }
      expect(err, q).toBeInstanceOf(PromqlError);
      expect((err as PromqlError).message, q).toMatch(/at character \d+/);
    }
  });

  it('lists the metrics an expression reads', () => {
    expect(selectorsOf(parsePromql('sum(rate(a[5m])) / on() b > bool 0 or absent(c)')).map((x) => x.name)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
