/**
 * Remote-write and the query API against a real Prometheus (Debian's `prometheus` package; .ci/run
 * installs it), started here on a free port with its remote-write receiver on and a temporary
 * TSDB: samples Kefu sends (protobuf + snappy) arrive and are queried back, instant and over a
 * range; with both settings on, the app's own writes reach Prometheus, `/api/ops/query` and
 * `/api/ops/query_range` answer from it, and a rule evaluated through its query API goes pending →
 * firing (with `alert.firing`) → resolved. A store that is down keeps the samples queued until it
 * answers. Without the binary the suite fails and says how to get it; it is never skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { startPrometheus, type Prom } from '../../testing/prometheus.ts';
import { freePort } from '../../testing/spawn.ts';
import { listAlerts } from './alert-list.ts';
import { saveConfigObject } from './config-store.ts';
import { RemoteQuery, RemoteWriter } from './remote.ts';
import { ruleEvaluatorOf, runtime, writeSamples } from './runtime.ts';

const silent = createLogger('silent');

describe('remote-write to a real Prometheus', () => {
  let prom: Prom;
  beforeAll(async () => {
    prom = await startPrometheus();
  }, 90_000);
  afterAll(async () => prom?.stop());

  it('sends samples (protobuf, snappy) that are queried back, instant and over a range', async () => {
    const w = new RemoteWriter({ url: `${prom.url}/api/v1/write`, log: silent });
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    // Written out of order and with a duplicate instant: the writer sorts each series and keeps the last.
    for (const i of [2, 0, 1, 3, 4])
      w.enqueue(t0 + i * 15_000, [
        { name: 'kefu_remote_test', labels: { node: 'a', route: '/x' }, value: i * 1.5 },
        { name: 'kefu_remote_test', labels: { node: 'b', route: '/x' }, value: -i },
      ]);
    w.enqueue(t0 + 60_000, [{ name: 'kefu_remote_test', labels: { node: 'b', route: '/x' }, value: 42 }]);
    await w.flush();
    expect(w.stats).toMatchObject({ sent: 11, dropped: 0, lastError: null });
    expect(w.queued).toBe(0);

    const q = new RemoteQuery(prom.url);
    const now = t0 + 60_000;
    const instant = await q.instant('kefu_remote_test', now);
    expect(instant.resultType).toBe('vector');
    const byNode = Object.fromEntries(
      (instant.result as { labels: Record<string, string>; value: number }[]).map((x) => [x.labels.node, x]),
    );
    expect(byNode.a).toEqual({ labels: { __name__: 'kefu_remote_test', node: 'a', route: '/x' }, value: 6 });
    expect(byNode.b.value).toBe(42);
    expect(await q.instant('sum by (route) (kefu_remote_test)', now)).toEqual({
      resultType: 'vector',
      result: [{ labels: { route: '/x' }, value: 48 }],
    });
    const range = await q.range('kefu_remote_test{node="a"}', t0, now, 15_000);
    expect(range.step).toBe(15_000);
    expect(range.series).toEqual([
      {
        labels: { __name__: 'kefu_remote_test', node: 'a', route: '/x' },
        points: [0, 1, 2, 3, 4].map((i) => [t0 + i * 15_000, i * 1.5]),
      },
    ]);
    expect(await q.names()).toContain('kefu_remote_test');
    // A query Prometheus refuses is the caller's fault: 400 with Prometheus's reason.
    await expect(q.instant('rate(kefu_remote_test[5m]', now)).rejects.toMatchObject({ status: 400 });
  });

  it('keeps samples queued while the store is down and sends them when it answers', async () => {
    const port = await freePort();
    const w = new RemoteWriter({ url: `http://127.0.0.1:${port}/api/v1/write`, log: silent, timeoutMs: 2000 });
    const t = Math.floor(Date.now() / 1000) * 1000;
    w.enqueue(t, [{ name: 'kefu_remote_queued', labels: { node: 'a' }, value: 7 }]);
    await w.flush();
    expect(w.queued).toBe(1);
    expect(w.stats.lastError).toMatch(/ECONNREFUSED|connect|refused/i);
    // The same samples to the live receiver (a writer's URL is fixed: a second writer stands in for "it came back").
    const live = new RemoteWriter({ url: `${prom.url}/api/v1/write`, log: silent });
    live.enqueue(t, [{ name: 'kefu_remote_queued', labels: { node: 'a' }, value: 7 }]);
    await live.flush();
    expect(live.stats.sent).toBe(1);
    // Bounded: past maxQueue the oldest go.
    const small = new RemoteWriter({ url: `http://127.0.0.1:${port}/`, log: silent, maxQueue: 3 });
    small.enqueue(
      t,
      [1, 2, 3, 4, 5].map((v) => ({ name: 'x', labels: { v: String(v) }, value: v })),
    );
    expect(small.queued).toBe(3);
    expect(small.stats.dropped).toBe(2);
  });

  describe.each(engines)('Kefu with remote-write and the query API on %s', (engine) => {
    let t: TestApp;
    let owner: Client;
    const clock = manualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    beforeAll(async () => {
      t = await testApp(engine, {
        clock,
        config: {
          monitoringRemoteWriteUrl: `${prom.url}/api/v1/write`,
          monitoringRemoteQueryUrl: prom.url,
        },
      });
      owner = (await t.workspace('home', { installationOwner: true })).owner;
    });
    afterAll(async () => t?.close());

    const metric = `kefu_remote_rule_${engine}`;
    const write = async (value: number) => {
      await writeSamples(t.s)(clock.now().getTime(), [{ name: metric, labels: { node: 'n1' }, value }]);
      await runtime(t.s).remoteWriter!.flush();
      expect(runtime(t.s).remoteWriter!.stats.lastError).toBeNull();
    };

    it('answers the dashboards from Prometheus', async () => {
      await write(3);
      clock.advance(15_000);
      await write(5);
      const res = await owner.post('/api/ops/query', { expr: `${metric} * 2` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        resultType: 'vector',
        result: [{ labels: { node: 'n1' }, value: 10 }],
        unknownMetrics: [],
      });
      const unknown = await owner.post('/api/ops/query', { expr: 'kefu_never_written_total' });
      expect(unknown.json()).toMatchObject({ result: [], unknownMetrics: ['kefu_never_written_total'] });
      const from = new Date(clock.now().getTime() - 15_000).toISOString();
      const range = await owner.get(
        `/api/ops/query_range?expr=${encodeURIComponent(metric)}&from=${from}&to=${clock.now().toISOString()}&step=15`,
      );
      expect(range.statusCode, range.body).toBe(200);
      expect(range.json().series[0].points.map((p: [number, number]) => p[1])).toEqual([3, 5]);
      const bad = await owner.post('/api/ops/query', { expr: 'rate(x[5m]' });
      expect(bad.statusCode).toBe(400);
    });

    it('evaluates a rule through the query API: pending, firing with alert.firing, resolved', async () => {
      await saveConfigObject(
        t.s.db,
        'group',
        'remote',
        {
          name: 'remote',
          interval: '15s',
          rules: [{ alert: 'RemoteHigh', expr: `${metric} > 4`, for: '15s', labels: { severity: 'P3' } }],
        },
        0,
        clock.now(),
      );
      const ev = ruleEvaluatorOf(t.s);
      const tick = async (value: number) => {
        clock.advance(15_000);
        await write(value);
        await ev.tick(clock.now().getTime());
        expect(ev.errors.get('remote/RemoteHigh')).toBeUndefined();
      };
      await tick(6);
      expect((await listAlerts(t.s.db)).map((a) => [a.rule, a.state, a.value])).toEqual([['RemoteHigh', 'pending', 6]]);
      await tick(7);
      const [firing] = await listAlerts(t.s.db, 'firing');
      expect(firing).toMatchObject({ rule: 'RemoteHigh', value: 7, labels: { node: 'n1', severity: 'P3' } });
      const events = async (type: string) =>
        (await allTables(t.s).selectFrom('outbox').select('payload').where('type', '=', type).execute()).map(
          (r) => JSON.parse(r.payload).data.rule,
        );
      expect(await events('alert.firing')).toEqual(['RemoteHigh']);
      await tick(1);
      expect(await listAlerts(t.s.db, 'resolved')).toHaveLength(1);
      expect(await events('alert.resolved')).toEqual(['RemoteHigh']);
    });
  });
});
