/**
 * Probes against real targets the test starts and stops: an HTTP server (status, keyword, JSON
 * path, a hanging path, an endless body), its TCP port, a DNS name that does not resolve, and a
 * push probe; retries before down; results as blackbox series; one runner per installation by lease.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { jsonPathValue } from './checks.ts';
import { nextState, probeByName, saveProbe } from './probes.ts';
import { acquireLease, LeaderLoop, ProbeRunner } from './runner.ts';
import { SeriesStore } from './store.ts';

describe('probe state', () => {
  it('goes down only after more than `retries` failures in a row, and up at once', () => {
    let st = { status: 'up', failures: 0 };
    st = nextState(st, 2, false);
    expect(st).toEqual({ status: 'pending', failures: 1 });
    st = nextState(st, 2, false);
    st = nextState(st, 2, false);
    expect(st).toEqual({ status: 'down', failures: 3 });
    expect(nextState(st, 2, true)).toEqual({ status: 'up', failures: 0 });
  });

  it('follows JSON paths', () => {
    expect(jsonPathValue({ a: { b: [1, { c: 'ok' }] } }, '$.a.b[1].c')).toBe('ok');
    expect(jsonPathValue({ a: 1 }, '$.a.b')).toBeUndefined();
  });

  it('validates definitions with a reason per field', () => {
    const bad = ProbeInput.safeParse({ name: 'x', type: 'http', url: 'ftp://x', interval: '0s', retries: -1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['url', 'interval', 'retries']));
  });
});

describe.each(engines)('probes on %s', (engine) => {
  let t: TestApp;
  let server: Server;
  let port: number;
  let healthy = true;
  const clock = manualClock('2026-12-01T08:00:00Z');

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    server = createServer((req, res) => {
      if (req.url === '/hang') return;
      if (req.url === '/endless') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        return pump();
      }
      if (!healthy) return void res.writeHead(503).end('down');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok', db: { up: true } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await t?.close();
  });

  const runner = (store: SeriesStore) =>
    new ProbeRunner({
      db: t.s.db,
      log: t.s.log,
      now: () => clock.now().getTime(),
      write: (at, samples) => store.write(at, samples),
    });

  it('checks HTTP, TCP, DNS and push probes and records state and series', async () => {
    const store = new SeriesStore({ db: t.s.db, engine: t.s.engine });
    const save = (p: unknown) => saveProbe(t.s.db, ProbeInput.parse(p), clock.now());
    await save({
      name: 'api',
      type: 'http',
      url: `http://127.0.0.1:${port}/`,
      jsonPath: '$.db.up',
      jsonValue: 'true',
      retries: 1,
      component: 'console',
    });
    await save({ name: 'keyword', type: 'http', url: `http://127.0.0.1:${port}/`, keyword: 'nope' });
    await save({ name: 'hang', type: 'http', url: `http://127.0.0.1:${port}/hang`, timeout: '300ms' });
    await save({ name: 'big', type: 'http', url: `http://127.0.0.1:${port}/endless`, timeout: '5s' });
    await save({ name: 'port', type: 'tcp', host: '127.0.0.1', port });
    await save({ name: 'closed', type: 'tcp', host: '127.0.0.1', port: 1 });
    await save({ name: 'nxdomain', type: 'dns', host: 'no-such-host.invalid', timeout: '2s' });
    await save({ name: 'cron', type: 'push', interval: '15s', timeout: '10s' });
    const r = runner(store);
    await r.tick();
    await r.settle();
    const state = async (name: string) => (await probeByName(t.s.db, name))!;
    expect((await state('api')).status).toBe('up');
    expect(await state('keyword')).toMatchObject({ status: 'down', last_error: 'keyword not found: nope' });
    expect((await state('hang')).last_error).toMatch(/timed out/);
    // An endless body is cut at 1 MiB; the status was fine, so the probe is up.
    expect((await state('big')).status).toBe('up');
    expect((await state('port')).status).toBe('up');
    expect(await state('closed')).toMatchObject({ status: 'down', last_error: 'connection refused' });
    expect((await state('nxdomain')).status).toBe('down');
    expect(await state('cron')).toMatchObject({ status: 'down', last_error: 'no push received yet' });

    // The push URL marks the push probe up at its next check.
    const homeOwner = (await t.workspace('home-probes', { installationOwner: true })).owner;
    const listed = (await homeOwner.get('/api/ops/probes')).json().items as {
      name: string;
      pushPath: string | null;
      uptime: { h24: number | null };
    }[];
    const push = listed.find((p) => p.name === 'cron')!;
    expect((await t.app.inject({ method: 'GET', url: push.pushPath! })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/ops/push/unknown-token-000000' })).statusCode).toBe(404);

    // The target fails: one retry keeps `api` pending, the next check puts it down.
    healthy = false;
    clock.advance(15_000);
    await r.tick();
    await r.settle();
    expect(await state('api')).toMatchObject({ status: 'pending', last_status_code: 503 });
    expect((await state('cron')).status).toBe('up');
    clock.advance(15_000);
    await r.tick();
    await r.settle();
    expect((await state('api')).status).toBe('down');
    healthy = true;
    clock.advance(15_000);
    await r.tick();
    await r.settle();
    expect((await state('api')).status).toBe('up');

    const success = await store.read(
      'probe_success',
      [{ name: 'probe', op: '=', value: 'api' }],
      0,
      clock.now().getTime(),
    );
    expect(success[0].labels).toEqual({ probe: 'api', component: 'console' });
    expect(success[0].points.map((p) => p[1])).toEqual([1, 0, 0, 1]);
    const codes = await store.read(
      'probe_http_status_code',
      [{ name: 'probe', op: '=', value: 'api' }],
      0,
      clock.now().getTime(),
    );
    expect(codes[0].points.map((p) => p[1])).toEqual([200, 503, 503, 200]);
    expect(listed.find((p) => p.name === 'api')!.uptime.h24).toBe(1);
  });

  it('runs the loop on one node at a time; another takes over when the holder stops renewing', async () => {
    const now = clock.now().getTime();
    expect(await acquireLease(t.s.db, 'test-lease', 'a', now, 10_000)).toBe(true);
    expect(await acquireLease(t.s.db, 'test-lease', 'b', now + 1000, 10_000)).toBe(false);
    expect(await acquireLease(t.s.db, 'test-lease', 'a', now + 5000, 10_000)).toBe(true);
    expect(await acquireLease(t.s.db, 'test-lease', 'b', now + 14_000, 10_000)).toBe(false);
    expect(await acquireLease(t.s.db, 'test-lease', 'b', now + 15_001, 10_000)).toBe(true);
    expect(await acquireLease(t.s.db, 'test-lease', 'a', now + 16_000, 10_000)).toBe(false);

    let ranA = 0;
    let ranB = 0;
    const loop = (holder: string, count: () => void) =>
      new LeaderLoop({
        db: t.s.db,
        name: 'loop',
        holder,
        tickMs: 1000,
        ttlMs: 10_000,
        now: () => clock.now().getTime(),
        log: t.s.log,
        work: async () => count(),
      });
    const a = loop('a', () => ranA++);
    const b = loop('b', () => ranB++);
    await a.tick();
    await b.tick();
    expect([ranA, ranB]).toEqual([1, 0]);
    await a.stop(); // a graceful stop releases the lease at once
    await b.tick();
    expect([ranA, ranB]).toEqual([1, 1]);
  });
});
