/**
 * A rule cycle's shared reads on both engines: every selector of every rule gets exactly what a
 * read of its own would have returned (raw and rollup resolutions, offsets, ranges, matchers,
 * series without points in the window), while the store is read once per metric and resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { evaluate, windowsOf, type SeriesSource } from './promql/eval.ts';
import { parsePromql } from './promql/parse.ts';
import { sharedReads } from './shared-reads.ts';
import { SeriesStore, type Resolution } from './store.ts';

const t0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const at = t0 + 3 * 3600_000;

const exprs = [
  'kefu_a > 5',
  'kefu_a{route=~"/x|/y"}',
  'avg_over_time(kefu_a[5m])',
  'max_over_time(kefu_a{node="n1"}[30m] offset 10m)',
  'rate(kefu_c[5m]) > 0',
  'increase(kefu_c[2h])',
  'predict_linear(kefu_a{route!="/y"}[1h], 3600)',
  'absent(kefu_a{node="n9"})',
  'absent_over_time(kefu_c{node="gone"}[10m])',
  'sum by (node) (kefu_a offset 1h) / count by (node) (kefu_a offset 1h)',
  'kefu_c{node="gone"}',
  'kefu_a unless kefu_a{route="/x"}',
];

describe.each(engines)('shared reads on %s', (engine) => {
  let t: TestApp;
  let store: SeriesStore;
  beforeAll(async () => {
    t = await testApp(engine);
    store = new SeriesStore({ db: t.s.db, engine: t.s.engine });
    // Three hours of 15 s samples; the `gone` series stops after the first hour.
    for (let time = t0; time <= at; time += 15_000) {
      const i = (time - t0) / 15_000;
      await store.write(time, [
        { name: 'kefu_a', labels: { node: 'n1', route: '/x' }, value: (i % 40) / 4 },
        { name: 'kefu_a', labels: { node: 'n1', route: '/y' }, value: Math.sin(i) * 10 },
        { name: 'kefu_a', labels: { node: 'n2', route: '/z' }, value: i / 100 },
        { name: 'kefu_c', labels: { node: 'n1' }, value: i % 300 === 299 ? 0 : i * 3, kind: 'counter' },
        ...(time < t0 + 3600_000
          ? [{ name: 'kefu_c', labels: { node: 'gone' }, value: i, kind: 'counter' as const }]
          : []),
      ]);
    }
  });
  afterAll(async () => t?.close());

  it('answers every selector as its own read would, reading each metric once per resolution', async () => {
    // Windows longer than 40 minutes read minute rollups, as a short raw retention would make them.
    const resolutionOf = (from: number, to: number): Resolution => (to - from > 40 * 60_000 ? 60 : 0);
    const direct: SeriesSource = {
      select: (name, matchers, from, to) => store.read(name, matchers, from, to, resolutionOf(from, to)),
    };
    const reads: string[] = [];
    const counting = {
      read: (...a: Parameters<SeriesStore['read']>) => {
        reads.push(`${a[0]}@${a[4]}`);
        return store.read(...a);
      },
    };
    const parsed = exprs.map((x) => parsePromql(x));
    for (const when of [at, at - 7 * 60_000]) {
      reads.length = 0;
      const shared = sharedReads(
        counting,
        resolutionOf,
        parsed.flatMap((e) => windowsOf(e, when)),
      );
      for (const [i, e] of parsed.entries()) {
        const want = await evaluate(e, when, direct);
        expect(await evaluate(e, when, shared), exprs[i]).toEqual(want);
      }
      expect(reads.sort()).toEqual(['kefu_a@0', 'kefu_a@60', 'kefu_c@0', 'kefu_c@60']);
    }
    // The raw reads return points (the comparison above is not between two empty answers).
    const a = await evaluate(parsePromql('kefu_a'), at, direct);
    expect(a.t === 'vector' && a.v.length).toBe(3);
  });

  it('reads the store itself for a selector outside its plan', async () => {
    const resolutionOf = (): Resolution => 0;
    const shared = sharedReads(store, resolutionOf, windowsOf(parsePromql('kefu_a[1m]'), at));
    const planned = await shared.select('kefu_a', [], at - 60_000, at);
    expect(planned.map((x) => x.points.length)).toEqual([4, 4, 4]);
    const wider = await shared.select('kefu_a', [], at - 120_000, at);
    expect(wider.map((x) => x.points.length)).toEqual([8, 8, 8]);
  });
});
