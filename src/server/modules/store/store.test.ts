import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { dumpDatabase } from '../../testing/db-dump.ts';
import { StoreUnavailable } from './adapter.ts';
import { parseAllowList } from '../../lib/outbound.ts';
import { httpStore } from './http-store.ts';
import { seedStore } from './seed.ts';
import { startFakeShop, type FakeShop } from './shop-api.fake.ts';

describe('third-party store adapter against the fake shop API', () => {
  let shop: FakeShop;
  beforeAll(async () => {
    shop = await startFakeShop('shpat_test_token');
  });
  afterAll(async () => shop?.close());
  const allow = parseAllowList('127.0.0.1');
  const store = (token: string, timeoutMs?: number) => httpStore(null, { baseUrl: shop.url, token, timeoutMs, allow });

  it('maps an order with its items, shipment and masked receiver', async () => {
    shop.mode = 'ok';
    const o = await store('shpat_test_token').orderByNumber('ws', '1001');
    expect(o).toMatchObject({
      orderNo: '1001',
      status: 'shipped',
      total: 29900,
      items: [{ name: '轻薄羽绒服 黑色 M', qty: 1, price: 29900 }],
      receiver: { name: '王**', phone: '139****5678', region: '浙江省 杭州市' },
      shipments: [{ carrier: '顺丰速运', trackingNo: 'SF1402938475612' }],
    });
    expect(await store('shpat_test_token').orderByNumber('ws', '9999')).toBeNull();
  });

  it('turns a wrong token, an error, garbage and a hang into StoreUnavailable', async () => {
    shop.mode = 'ok';
    await expect(store('wrong-token-x').orderByNumber('ws', '1001')).rejects.toBeInstanceOf(StoreUnavailable);
    for (const mode of ['error', 'garbage', 'hang'] as const) {
      shop.mode = mode;
      await expect(store('shpat_test_token', 300).orderByNumber('ws', '1001'), mode).rejects.toBeInstanceOf(
        StoreUnavailable,
      );
    }
    shop.mode = 'ok';
  });

  it('refuses a shop at a private address the installation does not allow (SSRF guard)', async () => {
    const guarded = httpStore(null, { baseUrl: shop.url, token: 'shpat_test_token', allow: parseAllowList('') });
    await expect(guarded.orderByNumber('ws', '1001')).rejects.toThrow(/private address/);
  });
});

describe.each(engines)('store on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let wsId: string;

  beforeAll(async () => {
    t = await testApp(engine, { config: { outboundAllowList: '127.0.0.1' } });
    const ws = await t.workspace('store');
    owner = ws.owner;
    wsId = ws.id;
    agent = await t.user(ws.id, 'agent');
    await seedStore(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
  });
  afterAll(async () => t?.close());

  it('shows agents a demo order with shipments, masked, and keeps receivers encrypted at rest', async () => {
    const r = await agent.get('/api/store/orders/DD20261203001');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'shipped',
      receiver: { name: '王**', phone: '139****5678', region: '浙江省 杭州市' },
      shipments: [
        {
          carrier: '顺丰速运',
          events: expect.arrayContaining([expect.objectContaining({ text: '快件已到达【杭州转运中心】' })]),
        },
      ],
    });
    expect(r.body).not.toContain('13912345678');
    expect((await agent.get('/api/store/orders/NOPE0001')).statusCode).toBe(404);
    expect((await agent.get('/api/store/orders/x')).statusCode).toBe(400);
    const dump = await dumpDatabase(t.s);
    expect(dump).not.toContain('13912345678');
    expect(dump).not.toContain('文三路');
    const other = (await t.workspace('store-b')).owner;
    expect((await other.get('/api/store/orders/DD20261203001')).statusCode).toBe(404);
    expect(wsId).toBeTruthy();
  });

  it('lets only admins configure a third-party store, keeps its token secret, and reports it down as 502', async () => {
    expect(
      (await agent.request({ method: 'PUT', url: '/api/store/settings', payload: { adapter: 'demo' } })).statusCode,
    ).toBe(403);
    const bad = await owner.request({ method: 'PUT', url: '/api/store/settings', payload: { adapter: 'shopify' } });
    expect(bad.statusCode).toBe(400);
    const shop = await startFakeShop('shpat_secret_token');
    try {
      const put = await owner.request({
        method: 'PUT',
        url: '/api/store/settings',
        payload: { adapter: 'shopify', baseUrl: shop.url, token: 'shpat_secret_token' },
      });
      expect(put.json()).toMatchObject({
        adapter: 'shopify',
        baseUrl: shop.url,
        tokenSet: true,
        webhookSecretSet: false,
      });
      expect((await owner.get('/api/store/settings')).body).not.toContain('shpat_secret_token');
      expect(await dumpDatabase(t.s)).not.toContain('shpat_secret_token');
      expect((await agent.get('/api/store/orders/1001')).json().status).toBe('shipped');
      shop.mode = 'error';
      // An order looked up before answers from the local cache while the shop is down; any other is a 502.
      expect((await agent.get('/api/store/orders/1001')).json().status).toBe('shipped');
      const down = await agent.get('/api/store/orders/1002');
      expect(down.statusCode).toBe(502);
      expect(down.json().error.code).toBe('store_unavailable');
    } finally {
      await shop.close();
      await owner.request({ method: 'PUT', url: '/api/store/settings', payload: { adapter: 'demo' } });
    }
  });
});
