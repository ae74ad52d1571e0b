/**
 * /metrics of a real server process carries the series Kefu writes straight to its store, each with
 * its latest value and a `node` label: the probe results in the blackbox exporter's names (label
 * `probe`), the results a `kefu probe run` runner pushed (label `runner`) and the sampler's own
 * cost, next to the registry's host, process, database, jobs and tickets series. Read back through
 * a real Prometheus that scrapes the process (its own text-format parser) and `promtool check
 * metrics`, on both engines.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { engines } from '../../testing/harness.ts';
import { startPrometheus } from '../../testing/prometheus.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../../testing/spawn.ts';
import { until } from '../../testing/until.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

type Vector = { metric: Record<string, string>; value: [number, string] }[];

describe.concurrent.each(engines)('/metrics of a server process on %s', (engine) => {
  it('shows the probe results, pushed results and the sampler with node labels', { timeout: 240_000 }, async () => {
    let up = true;
    const target: Server = createServer((_req, res) => void res.writeHead(up ? 200 : 503).end(up ? 'ok' : 'no'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      target.closeAllConnections();
      await new Promise((r) => target.close(r));
    });
    const where = await processPlace(engine, cleanups);
    const node = `exposed-${engine}`;
    const kefu = await startKefuProcess({
      ...where,
      env: { ...where.env, KEFU_NODE_NAME: node, KEFU_MONITORING_INTERVAL_SECONDS: '1' },
    });
    cleanups.push(() => kefu.stop());
    const auth = await signInHttp(kefu.url);
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    await api(kefu.url, auth, 'PUT', '/api/ops/probes/scraped', {
      name: 'scraped',
      type: 'http',
      url,
      interval: '1s',
      timeout: '2s',
      component: 'web_chat',
    });
    const pushedAt = Date.now();
    await api(kefu.url, auth, 'POST', '/api/ops/probe-results', {
      runner: 'outside',
      results: [
        { probe: 'scraped', at: new Date(pushedAt).toISOString(), ok: false, durationMs: 1234, statusCode: 503 },
      ],
    });
    const scrape = () => fetch(`${kefu.url}/metrics`).then((r) => r.text());
    const text = await until('the probe and the sampler on /metrics', async () => {
      const t = await scrape();
      return /^probe_success\{probe="scraped"/m.test(t) && /^kefu_monitoring_samples\{/m.test(t) && t;
    });
    // Prometheus's own linter and parser accept the exposition as it is.
    execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });

    const prom = await startPrometheus({ scrape: [`127.0.0.1:${kefu.port}`] });
    cleanups.push(() => prom.stop());
    const query = async (expr: string): Promise<Vector> => {
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return ((await res.json()) as { data: { result: Vector } }).data.result;
    };
    const one = (expr: string) => until(expr, async () => (await query(expr)).at(0));
    const own = await one('probe_success{probe="scraped", runner=""}');
    expect(own.metric).toMatchObject({ node, component: 'web_chat', job: 'kefu' });
    expect(own.value[1]).toBe('1');
    expect((await one('probe_http_status_code{probe="scraped", runner=""}')).value[1]).toBe('200');
    expect(Number((await one('probe_duration_seconds{probe="scraped", runner=""}')).value[1])).toBeGreaterThan(0);
    expect((await one('kefu_probe_up{probe="scraped"}')).value[1]).toBe('1');
    // The runner's push, as it was pushed.
    expect((await one('probe_success{probe="scraped", runner="outside"}')).value[1]).toBe('0');
    expect((await one('probe_duration_seconds{runner="outside"}')).value[1]).toBe('1.234');
    expect((await one('probe_http_status_code{runner="outside"}')).value[1]).toBe('503');
    const lastPush = Number((await one('kefu_probe_runner_last_push_timestamp_seconds{runner="outside"}')).value[1]);
    expect(Math.abs(lastPush - pushedAt / 1000)).toBeLessThan(60);
    // The sampler's own cost, and the registry's series of each kind, with this node's label.
    for (const name of ['kefu_monitoring_sample_seconds', 'kefu_monitoring_samples'])
      expect(Number((await one(`${name}{node="${node}"}`)).value[1])).toBeGreaterThan(0);
    expect((await one(`kefu_monitoring_sampler_loop_delay_max_seconds{node="${node}"}`)).metric.node).toBe(node);
    for (const name of [
      'kefu_host_memory_total_bytes',
      'kefu_db_up',
      'kefu_process_resident_memory_bytes',
      'kefu_tickets_oldest_open_age_seconds',
    ])
      expect((await one(`${name}{node="${node}"}`)).metric.node).toBe(node);
    expect((await query(`kefu_jobs{node="${node}"}`)).length).toBeGreaterThanOrEqual(4);

    // The latest value, not a first one: the target fails and /metrics follows.
    up = false;
    await until('probe_success 0', async () => (await query('probe_success{probe="scraped", runner=""} == 0')).length);
    expect((await one('probe_http_status_code{probe="scraped", runner=""}')).value[1]).toBe('503');
    // A deleted probe leaves /metrics (the runner's pushed series stay, as a Pushgateway keeps them).
    await api(kefu.url, auth, 'DELETE', '/api/ops/probes/scraped');
    const after = await until('the deleted probe gone', async () => {
      const t = await scrape();
      return !/^probe_success\{probe="scraped",component/m.test(t) && t;
    });
    expect(after).toMatch(/^probe_success\{probe="scraped",runner="outside",node="exposed-/m);
  });
});
