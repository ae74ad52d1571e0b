/**
 * The series store and the sampler on both engines: batches land as raw samples and as minute and
 * hour rollups; reads pick a resolution; retention prunes each level; the sampler stores every
 * module's registry metrics with a `node` label and histograms as interval quantiles.
 */
import { join } from 'node:path';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/index.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { bucketQuantile, RegistryReader, Sampler } from './sampler.ts';
import { own } from './schema.ts';
import { sqliteSeriesWriter } from './series-writer.ts';
import { resolutionFor, SeriesStore } from './store.ts';

const t0 = Date.UTC(2026, 11, 1, 8, 0, 0);

describe('bucketQuantile', () => {
  it('interpolates within the bucket as histogram_quantile does', () => {
    // 10 observations: 4 ≤ 0.1, 8 ≤ 0.5, 10 ≤ 1.
    expect(bucketQuantile(0.5, [0.1, 0.5, 1, Infinity], [4, 8, 10, 10])).toBeCloseTo(0.1 + 0.4 * (1 / 4));
    expect(bucketQuantile(0.99, [0.1, 0.5, 1, Infinity], [4, 8, 10, 10])).toBeCloseTo(0.5 + 0.5 * (1.9 / 2));
    expect(bucketQuantile(0.99, [0.1, Infinity], [0, 5])).toBe(0.1);
    expect(bucketQuantile(0.5, [0.1, Infinity], [0, 0])).toBeNaN();
  });

  it('reads histograms as counts, sums and the quantiles of the interval only', async () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'x_seconds',
      help: 'x',
      labelNames: ['route'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    const reader = new RegistryReader();
    for (let i = 0; i < 10; i++) h.observe({ route: '/a' }, 0.05);
    const first = reader.read(await registry.getMetricsAsJSON(), 'n1');
    expect(first.find((x) => x.name === 'x_seconds_count')).toMatchObject({ value: 10, kind: 'counter' });
    expect(first.find((x) => x.name === 'x_seconds_p99')!.value).toBeLessThanOrEqual(0.1);
    expect(first.some((x) => x.labels.le !== undefined)).toBe(false);
    for (let i = 0; i < 10; i++) h.observe({ route: '/a' }, 0.5);
    const second = reader.read(await registry.getMetricsAsJSON(), 'n1');
    // Only the last 10 (all in (0.1, 1]) count for this interval's quantile.
    expect(second.find((x) => x.name === 'x_seconds_p50')!.value).toBeCloseTo(0.1 + 0.9 * 0.5);
    const third = reader.read(await registry.getMetricsAsJSON(), 'n1');
    expect(third.some((x) => x.name === 'x_seconds_p50')).toBe(false);
  });
});

describe('resolutionFor', () => {
  const r = { rawHours: 48, minuteDays: 14, hourDays: 400 };
  it('uses raw samples for short recent ranges, then minutes, then hours', () => {
    const now = t0;
    expect(resolutionFor(now, now - 3600_000, r)).toBe(0);
    expect(resolutionFor(now, now - 24 * 3600_000, r)).toBe(60);
    expect(resolutionFor(now, now - 7 * 86400_000, r)).toBe(3600);
    expect(resolutionFor(now, now - 90 * 86400_000, r)).toBe(3600);
  });
});

// On SQLite both ways of writing: on the event loop's connection, and a worker thread's (servers).
const cases: [Engine, string][] = engines.flatMap((e): [Engine, string][] =>
  e === 'sqlite'
    ? [
        [e, 'the main connection'],
        [e, 'a worker thread'],
      ]
    : [[e, 'its pool']],
);

describe.each(cases)('series store on %s, writing on %s', (engine, via) => {
  let t: TestApp;
  let store: SeriesStore;
  const stores: SeriesStore[] = [];
  const newStore = () => {
    const writer = via === 'a worker thread' ? sqliteSeriesWriter(join(t.s.config.dataDir, 'kefu.db')) : undefined;
    stores.push(new SeriesStore({ db: t.s.db, engine: t.s.engine, writer }));
    return stores.at(-1)!;
  };
  beforeAll(async () => {
    t = await testApp(engine);
    store = newStore();
  });
  afterAll(async () => {
    for (const x of stores) await x.close();
    await t?.close();
  });

  it('writes raw samples and minute/hour rollups in one batch, and reads them back', async () => {
    const a = { name: 'kefu_test_gauge', labels: { node: 'n1', route: '/x' } };
    const c = { name: 'kefu_test_total', labels: { node: 'n1' }, kind: 'counter' as const };
    await store.write(t0, [
      { ...a, value: 1 },
      { ...c, value: 10 },
    ]);
    await store.write(t0 + 15_000, [
      { ...a, value: 3 },
      { ...c, value: 25 },
      { ...a, value: Number.NaN, labels: { node: 'n2' } },
    ]);
    await store.write(t0 + 60_000, [{ ...a, value: 5 }]);
    const raw = await store.read('kefu_test_gauge', [], t0 - 1, t0 + 60_000);
    expect(raw).toHaveLength(1);
    expect(raw[0].points).toEqual([
      [t0, 1],
      [t0 + 15_000, 3],
      [t0 + 60_000, 5],
    ]);
    const minutes = await store.read(
      'kefu_test_gauge',
      [{ name: 'route', op: '=~', value: '/.*' }],
      t0 - 1,
      t0 + 120_000,
      60,
    );
    expect(minutes[0].points).toEqual([
      [t0 + 60_000, 2],
      [t0 + 120_000, 5],
    ]);
    const hour = await store.read('kefu_test_total', [], t0 - 1, t0 + 3600_000, 3600);
    expect(hour[0].points).toEqual([[t0 + 3600_000, 25]]);
    const rollup = await own(t.s.db)
      .selectFrom('monitoring_rollups')
      .selectAll()
      .where('series_id', '=', raw[0].id)
      .where('res', '=', 3600)
      .executeTakeFirstOrThrow();
    expect(rollup).toMatchObject({ n: 3, sum: 9, min: 1, max: 5, last: 5 });
    expect(await store.read('kefu_test_gauge', [{ name: 'node', op: '!=', value: 'n1' }], 0, t0 + 1e9)).toEqual([]);
    expect(await store.names()).toEqual(expect.arrayContaining(['kefu_test_gauge', 'kefu_test_total']));
  });

  it('writes a batch of several statement chunks with every value exactly as given', async () => {
    const at = t0 + 7 * 86400_000;
    const odd = [0.1, 1 / 3, 1e300, -2.5e-300, 2 ** 60 + 2 ** 9, 123456789.12345679, -0.000001];
    const batch = Array.from({ length: 2345 }, (_, i) => ({
      name: 'kefu_test_many',
      labels: { i: String(i) },
      value: i < odd.length ? odd[i] : Math.sin(i) * 1e6,
    }));
    expect(await store.write(at, batch)).toBe(2345);
    // The same instant again: the raw sample is replaced, the rollups count both.
    expect(
      await store.write(
        at,
        batch.map((x) => ({ ...x, value: x.value * 2 })),
      ),
    ).toBe(2345);
    const raw = await store.read('kefu_test_many', [], at - 1, at);
    expect(raw).toHaveLength(2345);
    const byLabel = new Map(raw.map((x) => [x.labels.i, x.points]));
    for (const [i, x] of batch.entries()) expect(byLabel.get(String(i))).toEqual([[at, x.value * 2]]);
    const minute = await store.read('kefu_test_many', [{ name: 'i', op: '=~', value: '1|2344' }], at - 1, at, 60);
    expect(minute.map((x) => x.points.map(([time]) => time))).toEqual([[at + 60_000], [at + 60_000]]);
    expect(minute[0].points[0][1]).toBeCloseTo(0.5, 12);
    expect(minute[1].points[0][1]).toBeCloseTo(batch[2344].value * 1.5, 6);
    const rollups = await own(t.s.db)
      .selectFrom('monitoring_rollups')
      .select(['n', 'min', 'max', 'last'])
      .where('series_id', '=', raw.find((x) => x.labels.i === '2')!.id)
      .where('res', '=', 3600)
      .execute();
    expect(rollups).toEqual([{ n: 2, min: 1e300, max: 2e300, last: 2e300 }]);
  });

  it('prunes each level at its own retention', async () => {
    const s2 = newStore();
    await s2.write(t0 - 3 * 86400_000, [{ name: 'kefu_old', labels: {}, value: 1 }]);
    await s2.write(t0 - 20 * 86400_000, [{ name: 'kefu_old', labels: {}, value: 2 }]);
    await s2.prune(t0, { rawHours: 48, minuteDays: 14, hourDays: 400 });
    expect((await s2.read('kefu_old', [], 0, t0))[0].points).toEqual([]);
    expect((await s2.read('kefu_old', [], 0, t0, 60))[0].points).toEqual([[t0 - 3 * 86400_000 + 60_000, 1]]);
    expect((await s2.read('kefu_old', [], 0, t0, 3600))[0].points).toHaveLength(2);
  });

  it('samples the process registry (module gauges, host, database) with a node label', async () => {
    const registry = t.s.metrics;
    new Gauge({ name: 'kefu_test_module_gauge', help: 'a module gauge', registers: [registry] }).set(7);
    new Counter({ name: 'kefu_test_module_total', help: 'a module counter', registers: [registry] }).inc(3);
    let now = t0 + 3600_000;
    const sampler = new Sampler({
      registry,
      node: 'node-a',
      write: (at, samples) => store.write(at, samples),
      now: () => now,
      onError: (err) => {
        throw err;
      },
    });
    const n = await sampler.tick();
    expect(n).toBeGreaterThan(20);
    now += 15_000;
    await sampler.tick();
    const read = async (name: string) =>
      (await store.read(name, [{ name: 'node', op: '=', value: 'node-a' }], t0, now))[0];
    expect((await read('kefu_test_module_gauge')).points.map((p) => p[1])).toEqual([7, 7]);
    expect((await read('kefu_test_module_total')).kind).toBe('counter');
    expect((await read('kefu_db_up')).points.at(-1)![1]).toBe(1);
    expect((await read('kefu_db_probe_seconds')).points.at(-1)![1]).toBeGreaterThan(0);
    expect((await read('kefu_host_memory_total_bytes')).points.at(-1)![1]).toBeGreaterThan(1e8);
    expect((await read('kefu_host_disk_free_bytes')).points.at(-1)![1]).toBeGreaterThan(0);
    expect((await read('kefu_jobs_oldest_due_age_seconds')).points).toHaveLength(2);
    // How long a tick holds the event loop: sampler.test.ts.
  });
});
