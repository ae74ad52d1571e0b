/**
 * The Shopify adapter on both engines against the FAKE Admin API (shop-api.fake.ts): recorded
 * webhook payloads (fixtures/shopify/) signed as Shopify signs them keep the local order cache,
 * which answers while the shop is down; forged, altered, replayed, stale and malformed deliveries
 * are refused with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { dumpDatabase } from '../../testing/db-dump.ts';
import { customerForVisitor } from '../customers/index.ts';
import { fixture, signedHeaders, startFakeShop, type FakeShop } from './shop-api.fake.ts';

const secret = 'shpss_webhook_secret_0123456789';
const token = 'shpat_admin_token_1';

describe.each(engines)('Shopify adapter on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let wsId: string;
  let shop: FakeShop;
  let path: string;
  let customerId: string;

  const deliver = (topic: string, raw: string, o: Parameters<typeof signedHeaders>[3] = {}, sign = secret) =>
    t.app.inject({ method: 'POST', url: path, headers: signedHeaders(sign, topic, raw, o), payload: raw });

  beforeAll(async () => {
    t = await testApp(engine, { config: { outboundAllowList: '127.0.0.1' } });
    const ws = await t.workspace('shopify');
    owner = ws.owner;
    wsId = ws.id;
    agent = await t.user(ws.id, 'agent');
    // The shop has both orders; the cache knows none yet.
    shop = await startFakeShop(token, [
      JSON.parse(fixture('orders-create-1101')),
      JSON.parse(fixture('orders-updated-1102')),
    ]);
    const put = await owner.request({
      method: 'PUT',
      url: '/api/store/settings',
      payload: { adapter: 'shopify', baseUrl: shop.url, token, webhookSecret: secret },
    });
    expect(put.statusCode).toBe(200);
    path = put.json().webhookPath;
    customerId = (
      await customerForVisitor(t.s, { workspaceId: wsId, visitorId: 'shopify-visitor-0001', externalId: '7001' })
    ).id;
  });
  afterAll(async () => {
    await shop?.close();
    await t?.close();
  });

  it('refuses a shop URL at a private address the installation does not allow', async () => {
    const r = await owner.request({
      method: 'PUT',
      url: '/api/store/settings',
      payload: { adapter: 'shopify', baseUrl: 'http://169.254.169.254/', token },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('outbound_blocked');
    expect((await owner.get('/api/store/settings')).json()).toMatchObject({
      baseUrl: shop.url,
      webhookSecretSet: true,
    });
  });

  it('applies signed order, fulfillment, tracking and refund webhooks to the cache, which answers while the shop is down', async () => {
    shop.mode = 'error';
    const created = await deliver('orders/create', fixture('orders-create-1101'));
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ applied: true, duplicate: false });
    expect((await deliver('fulfillments/create', fixture('fulfillments-create-1101'))).json().applied).toBe(true);
    expect((await deliver('fulfillment_events/create', fixture('fulfillment-events-create-1101'))).json().applied).toBe(
      true,
    );
    expect((await deliver('orders/updated', fixture('orders-updated-1102'))).statusCode).toBe(200);
    expect((await deliver('refunds/create', fixture('refunds-create-1102'))).json().applied).toBe(true);

    const o = await agent.get('/api/store/orders/1101');
    expect(o.statusCode).toBe(200);
    expect(o.json()).toMatchObject({
      orderNo: '1101',
      status: 'shipped',
      total: 45800,
      items: [
        { name: '轻薄羽绒服', qty: 1, price: 29900 },
        { name: '羊毛围巾', qty: 1, price: 15900 },
      ],
      receiver: { name: '王*', phone: '138****5678', region: '浙江省 杭州市' },
      shipments: [
        {
          carrier: '顺丰速运',
          trackingNo: 'SF1402938475612',
          events: [{ location: '浙江省 杭州市', text: '快件已到达【杭州转运中心】' }],
        },
      ],
    });
    const refunded = (await agent.get('/api/store/orders/1102')).json();
    expect(refunded.refund).toMatchObject({ amount: 8900 });
    expect(refunded.shipments[0]).toMatchObject({ carrier: '京东物流', status: 'delivered' });
    // The customer (shop user id 7001 = Shopify customer 7001): from the cache while the shop is down, newest first.
    const mine = await agent.get(`/api/store/customers/${customerId}/orders`);
    expect(mine.json().items.map((x: { orderNo: string }) => x.orderNo)).toEqual(['1101', '1102']);
    const dump = await dumpDatabase(t.s);
    for (const secretText of [secret, token, '13812345678', '文三路']) expect(dump).not.toContain(secretText);
    shop.mode = 'ok';
  });

  it("reads a customer's orders from the shop when it answers", async () => {
    shop.mode = 'ok';
    const before = shop.requests;
    const r = await agent.get(`/api/store/customers/${customerId}/orders`);
    expect(r.json().items.map((x: { orderNo: string }) => x.orderNo)).toEqual(['1101', '1102']);
    expect(shop.requests).toBe(before + 1);
    // The shop's copy of #1101 predates its shipping; the cache's newer one (from webhooks) wins.
    expect(r.json().items[0].shipments[0]).toMatchObject({
      carrier: '顺丰速运',
      events: [{ text: '快件已到达【杭州转运中心】' }],
    });
  });

  it('refuses forged, altered, replayed, stale and malformed deliveries with a reason', async () => {
    const raw = fixture('orders-create-1101');
    const reason = async (p: Promise<{ statusCode: number; json(): { error: { code: string; message: string } } }>) => {
      const r = await p;
      return `${r.statusCode} ${r.json().error?.code}`;
    };
    expect(await reason(deliver('orders/create', raw, {}, 'another-secret-0123456789'))).toBe(
      '401 webhook_unauthorized',
    );
    const altered = raw.replace('"458.00"', '"0.01"');
    expect(
      await reason(
        t.app.inject({
          method: 'POST',
          url: path,
          headers: signedHeaders(secret, 'orders/create', raw),
          payload: altered,
        }),
      ),
    ).toBe('401 webhook_unauthorized');
    const unsigned = signedHeaders(secret, 'orders/create', raw);
    delete unsigned['x-shopify-hmac-sha256'];
    expect(await reason(t.app.inject({ method: 'POST', url: path, headers: unsigned, payload: raw }))).toBe(
      '401 webhook_unauthorized',
    );
    expect(await reason(deliver('orders/create', raw, { shop: 'other-shop.myshopify.com' }))).toBe(
      '401 webhook_unauthorized',
    );
    const old = new Date(t.s.clock.now().getTime() - 2 * 3_600_000).toISOString();
    expect(await reason(deliver('orders/create', raw, { triggeredAt: old }))).toBe('400 webhook_too_old');
    expect(await reason(deliver('orders/create', raw, { triggeredAt: 'yesterday-ish' }))).toBe('400 webhook_malformed');
    expect(await reason(deliver('customers/create', raw))).toBe('400 webhook_topic');
    expect(await reason(deliver('orders/create', '{"id": 1'))).toBe('400 webhook_malformed');
    expect(await reason(deliver('orders/create', '{"id": 1, "name": "#1"}'))).toBe('400 webhook_malformed');
    expect(await reason(deliver('refunds/create', '{"id": 5, "created_at": "2026-12-01T00:00:00Z"}'))).toBe(
      '400 webhook_malformed',
    );
    // A replay of an applied delivery (same webhook id): answered 200 so Shopify stops, and not applied again.
    const fresh = t.s.clock.now().toISOString();
    const first = await deliver('orders/updated', raw, {
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      triggeredAt: fresh,
    });
    expect(first.json()).toMatchObject({ applied: true, duplicate: false });
    const replay = await deliver('orders/updated', raw, {
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      triggeredAt: fresh,
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ applied: false, duplicate: true });
    // A workspace without Shopify takes no webhooks.
    const other = await t.workspace('shopify-b');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/store/webhooks/shopify/${other.id}`,
      headers: signedHeaders(secret, 'orders/create', raw),
      payload: raw,
    });
    expect(r.statusCode).toBe(404);
  });
});
