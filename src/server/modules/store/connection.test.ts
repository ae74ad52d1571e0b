/**
 * The console's Shopify form on both engines, against the FAKE Admin API (shop-api.fake.ts):
 * "test connection" calls the shop with the typed values before anything is saved, or with the
 * stored ones; a wrong token, a shop that is down or answers garbage is a result with the reason,
 * an address the installation refuses is a 400 and nothing is called; only admins may use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { startFakeShop, type FakeShop } from './shop-api.fake.ts';

const token = 'shpat_connection_token_1';

describe.each(engines)('store connection test on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let admin: Client;
  let supervisor: Client;
  let agent: Client;
  let shop: FakeShop;
  const test = (c: Client, payload: object) => c.request({ method: 'POST', url: '/api/store/settings/test', payload });

  beforeAll(async () => {
    t = await testApp(engine, { config: { outboundAllowList: '127.0.0.1' } });
    const ws = await t.workspace('connection');
    owner = ws.owner;
    admin = await t.user(ws.id, 'admin');
    supervisor = await t.user(ws.id, 'supervisor');
    agent = await t.user(ws.id, 'agent');
    shop = await startFakeShop(token);
  });
  afterAll(async () => {
    await shop?.close();
    await t?.close();
  });

  it('tests the typed address and token before they are saved, and saves nothing', async () => {
    const before = shop.requests;
    const r = await test(admin, { baseUrl: shop.url, token });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      ok: true,
      shop: { name: '示例旗舰店 (fake)', domain: 'kefu-fake.myshopify.com' },
    });
    expect(shop.requests).toBe(before + 1);
    expect((await owner.get('/api/store/settings')).json()).toMatchObject({ adapter: 'demo', tokenSet: false });
  });

  it("reports a wrong token, a shop that fails and one that answers garbage, with the shop's reason", async () => {
    expect((await test(admin, { baseUrl: shop.url, token: 'shpat_wrong_token' })).json()).toEqual({
      ok: false,
      error: 'the store did not answer: HTTP 401',
    });
    shop.mode = 'error';
    expect((await test(admin, { baseUrl: shop.url, token })).json()).toEqual({
      ok: false,
      error: 'the store did not answer: HTTP 503',
    });
    shop.mode = 'garbage';
    expect((await test(admin, { baseUrl: shop.url, token })).json()).toMatchObject({ ok: false });
    shop.mode = 'ok';
  });

  it('uses the stored token when none is typed (it is never sent back), and the stored address too', async () => {
    expect((await test(admin, { baseUrl: shop.url })).statusCode).toBe(400); // nothing stored yet
    const put = await admin.request({
      method: 'PUT',
      url: '/api/store/settings',
      payload: { adapter: 'shopify', baseUrl: shop.url, token, webhookSecret: 'shpss_connection_secret_01' },
    });
    expect(put.json()).toMatchObject({ tokenSet: true, webhookSecretSet: true });
    expect(put.body).not.toContain(token);
    expect(put.body).not.toContain('shpss_connection_secret_01');
    expect((await test(admin, {})).json()).toMatchObject({ ok: true });
    expect((await test(admin, { baseUrl: shop.url })).json()).toMatchObject({ ok: true });
    expect((await test(admin, { token: 'shpat_wrong_token' })).json()).toMatchObject({ ok: false });
  });

  it('refuses a private address the installation does not allow, bad input, and anyone but admins', async () => {
    const before = shop.requests;
    const blocked = await test(admin, { baseUrl: 'http://169.254.169.254/', token });
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.code).toBe('outbound_blocked');
    expect((await test(admin, { baseUrl: 'ftp://shop.example.com/', token })).statusCode).toBe(400);
    expect((await test(admin, { baseUrl: shop.url, token: 'short' })).statusCode).toBe(400);
    expect((await test(admin, { baseUrl: shop.url, token, extra: 1 })).statusCode).toBe(400);
    for (const c of [supervisor, agent]) expect((await test(c, { baseUrl: shop.url, token })).statusCode).toBe(403);
    expect(shop.requests).toBe(before);
  });
});
