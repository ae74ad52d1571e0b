/**
 * What the edge of the HTTP server tells and to whom (issue #9, findings 3 and 15): the client's
 * address behind trusted proxies (a spoofed X-Forwarded-For changes nothing), request logs without
 * query values (signed attachment links, searches), and /metrics behind a token or on its own port.
 */
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.ts';
import { allTables, engines, testApp, type TestApp } from '../testing/harness.ts';
import { multipart, png } from '../testing/multipart.ts';
import { startMetricsServer } from './metrics.ts';

describe.each(engines)('the HTTP edge on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const failures = () =>
    allTables(t.s).selectFrom('audit_log').select(['id', 'ip']).where('action', '=', 'user.login_failed').execute();

  /** A failed sign-in from `remoteAddress` with `xff`; returns the address the audit log recorded. */
  async function seenAs(remoteAddress: string, xff?: string): Promise<string | null> {
    const before = new Set((await failures()).map((r) => r.id));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers: xff ? { 'x-forwarded-for': xff } : {},
      payload: { email: 'owner-proxy@example.com', password: 'not-the-password' },
    });
    expect(res.statusCode).toBe(401);
    return (await failures()).find((r) => !before.has(r.id))!.ip;
  }

  async function proxied(trustProxy: unknown) {
    t = await testApp(engine, { config: { trustProxy, loginRatePerMinute: 1000, loginMaxFailures: 100 } });
    const { owner } = await t.workspace('proxy');
    await allTables(t.s)
      .updateTable('users')
      .set({ email: 'owner-proxy@example.com' })
      .where('id', '=', owner.actor.userId)
      .execute();
  }

  it('takes the right-most address not a trusted proxy, whatever the client puts in X-Forwarded-For', async () => {
    await proxied('10.0.0.0/8');
    expect(await seenAs('10.0.0.5', '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    expect(await seenAs('10.0.0.5', '203.0.113.7, 10.9.9.9')).toBe('203.0.113.7');
    // Not through a trusted proxy: the header is the client's word and is ignored.
    expect(await seenAs('198.51.100.9', '6.6.6.6')).toBe('198.51.100.9');
  });

  it('counts hops from the right with a hop count, and `true` is one hop', async () => {
    await proxied(2);
    expect(await seenAs('10.0.0.5', '6.6.6.6, 203.0.113.7, 172.16.0.2')).toBe('203.0.113.7');
    await t.close();
    await proxied('true');
    expect(await seenAs('10.0.0.5', '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('rate-limits the real client behind the proxy even when it varies the left-most address', async () => {
    t = await testApp(engine, { config: { trustProxy: 'loopback,10.0.0.0/8', loginRatePerMinute: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.0.0.5',
        headers: { 'x-forwarded-for': `1.1.1.${i}, 203.0.113.7` },
        payload: { email: 'nobody@example.com', password: 'whatever-password' },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('never writes query values (signed links, searches) into the request log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    t = await testApp(engine, { log: createLogger('debug', sink) });
    const { owner } = await t.workspace('logs');
    const m = multipart('a.png', 'image/png', png);
    const att = (
      await owner.request({ method: 'POST', url: '/api/uploads', payload: m.payload, headers: m.headers })
    ).json();
    const signature = new URL(att.url, 'http://x').searchParams.get('t')!;
    expect((await t.app.inject({ method: 'GET', url: att.url })).statusCode).toBe(200);
    await owner.get('/api/conversations?q=13800138000');
    const log = lines.join('');
    expect(log).toContain(`/api/attachments/${att.id}?t=[redacted]`);
    expect(log).toContain('/api/conversations?q=[redacted]');
    expect(log).not.toContain(signature);
    expect(log).not.toContain('13800138000');
  });

  it('asks for the bearer token on /metrics when one is set', async () => {
    t = await testApp(engine, { config: { metricsToken: 'scrape-me-please-0123' } });
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = { authorization: 'Bearer scrape-me-please-0124' };
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: wrong })).statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-me-please-0123' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('kefu_http_request_duration_seconds');
  });

  it('serves /metrics only on the internal port when one is set', async () => {
    t = await testApp(engine, { config: { metricsPort: 9464 } });
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const server = await startMetricsServer(t.s.metrics, { port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('kefu_');
      expect((await fetch(`http://127.0.0.1:${port}/api/auth/me`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
