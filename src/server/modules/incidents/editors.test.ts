/**
 * What the console's incident settings rely on: the contract's effective terms (the defaults
 * shown before anything is entered: 618, 双11, 双12 and the severity table), and "send test" on a
 * channel — delivered now through a real local receiver, a refusal reported with the endpoint's
 * answer, nothing on any timeline, other workspaces' channels and roles without the right refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('incident settings on %s', (engine) => {
  let t: TestApp;
  let server: Server | undefined;
  afterEach(async () => {
    server?.close();
    await t?.close();
  });

  it("shows the contract's defaults until one is entered, and what applies after", async () => {
    t = await testApp(engine, { clock: manualClock(at('2026-03-02T10:00:00')) });
    const { owner } = await t.workspace('shop');
    const before = (await owner.get('/api/ops/contract')).json();
    expect(before.configured).toBe(false);
    expect(before.effective.severities).toEqual({
      P1: { respond: 15, resolve: 120 },
      P2: { respond: 30, resolve: 240 },
      P3: { respond: 60, resolve: 480 },
    });
    expect(before.effective.promotionSeverities).toEqual({ P1: { respond: 10, resolve: 60 } });
    expect(before.effective.promotions.map((p: { name: string }) => p.name)).toEqual(['618', '双11', '双12']);
    expect(before.effective.promotions[1]).toEqual({
      name: '双11',
      start: at('2026-10-31T20:00:00').toISOString(),
      end: at('2026-11-12T00:00:00').toISOString(),
    });
    const put = await owner.request({
      method: 'PUT',
      url: '/api/ops/contract',
      payload: {
        total: 500000,
        term: { start: '2026-01-01T00:00:00+08:00', end: '2026-12-31T00:00:00+08:00' },
        severities: {
          P1: { respond: 5, resolve: 60 },
          P2: { respond: 30, resolve: 240 },
          P3: { respond: 60, resolve: 480 },
        },
        promotions: [{ name: '年货节', start: '2026-01-10T00:00:00+08:00', end: '2026-01-20T00:00:00+08:00' }],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const after = (await owner.get('/api/ops/contract')).json();
    expect(after).toMatchObject({ configured: true, total: 500000 });
    expect(after.effective.severities.P1).toEqual({ respond: 5, resolve: 60 });
    expect(after.effective.promotions).toEqual([
      { name: '年货节', start: at('2026-01-10T00:00:00').toISOString(), end: at('2026-01-20T00:00:00').toISOString() },
    ]);
  });

  it('sends a test message through a channel now and reports what the endpoint answered', async () => {
    t = await testApp(engine, {
      clock: manualClock(at('2026-03-02T10:00:00')),
      config: { outboundAllowList: '127.0.0.1', notifierTimeoutMs: 2000 },
    });
    const { owner, id } = await t.workspace('vendor');
    const got: string[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push(body);
        const ok = !req.url?.includes('broken');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' }));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/webhook/send`;
    const good = (
      await owner.post('/api/ops/notifiers', { name: '企业微信群', kind: 'wecom', config: { url: `${url}?key=k1` } })
    ).json();
    const bad = (
      await owner.post('/api/ops/notifiers', { name: '失效的群', kind: 'wecom', config: { url: `${url}?key=broken` } })
    ).json();

    const ok = await owner.post(`/api/ops/notifiers/${good.id}/test`, {});
    expect([ok.statusCode, ok.json()]).toEqual([200, { ok: true, error: null }]);
    expect(JSON.parse(got[0])).toMatchObject({ msgtype: 'markdown' });
    expect(JSON.parse(got[0]).markdown.content).toContain('[测试] Kefu 通知渠道「企业微信群」');
    const refused = (await owner.post(`/api/ops/notifiers/${bad.id}/test`, {})).json();
    expect(refused).toEqual({ ok: false, error: expect.stringContaining('93000') });

    expect((await owner.post('/api/ops/notifiers/ich_nope/test', {})).statusCode).toBe(404);
    const other = await t.workspace('merchant');
    expect((await other.owner.post(`/api/ops/notifiers/${good.id}/test`, {})).statusCode).toBe(404);
    const ops = await t.user(id, 'ops');
    expect((await ops.post(`/api/ops/notifiers/${good.id}/test`, {})).statusCode).toBe(403);
    expect(got).toHaveLength(2);
  });
});
