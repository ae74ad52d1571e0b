/**
 * FAKE: a local stand-in for Shopify's Admin API (its REST shape), for tests only — the real
 * service is a cloud API that cannot run here. It serves the shop (`shop.json`) and orders (by
 * name, by customer), checks the access token, can be told to hang, fail or answer garbage, and
 * signs webhook deliveries of the recorded payloads in `fixtures/shopify/` as Shopify does (HMAC-SHA256 of the raw body, base64).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shopifyHmac } from './webhooks.ts';

export type FakeShop = {
  url: string;
  mode: 'ok' | 'hang' | 'error' | 'garbage';
  requests: number;
  /** The orders it serves (Shopify's JSON). */
  orders: Record<string, unknown>[];
  close(): Promise<void>;
};

/** A recorded payload from fixtures/shopify/ (raw text: what is signed is what is sent). */
export const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/shopify/${name}.json`, import.meta.url), 'utf8');

export const fakeOrder = {
  id: 5820390001001,
  name: '#1001',
  created_at: '2026-12-01T02:00:00Z',
  updated_at: '2026-12-02T08:00:00Z',
  processed_at: '2026-12-01T02:01:00Z',
  cancelled_at: null,
  financial_status: 'paid',
  fulfillment_status: 'fulfilled',
  total_price: '299.00',
  currency: 'CNY',
  line_items: [{ title: '轻薄羽绒服 黑色 M', sku: 'DJ-M-BLK', quantity: 1, price: '299.00' }],
  shipping_address: { name: '王小明', phone: '13912345678', province: '浙江省', city: '杭州市' },
  fulfillments: [
    {
      id: 4990001001,
      tracking_company: '顺丰速运',
      tracking_number: 'SF1402938475612',
      shipment_status: 'in_transit',
      created_at: '2026-12-01T10:00:00Z',
      updated_at: '2026-12-02T08:00:00Z',
    },
  ],
  refunds: [],
};

export async function startFakeShop(token: string, orders: Record<string, unknown>[] = [fakeOrder]): Promise<FakeShop> {
  const state: FakeShop = { url: '', mode: 'ok', requests: 0, orders, close: async () => {} };
  const json = (res: import('node:http').ServerResponse, body: unknown) =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (state.mode === 'hang') return; // never answers
    if (req.headers['x-shopify-access-token'] !== token) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":"[API] Invalid API key"}');
      return;
    }
    if (state.mode === 'error') return void res.writeHead(503).end('unavailable');
    if (state.mode === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/admin/api/2024-10/shop.json')
      return json(res, { shop: { id: 6010001, name: '示例旗舰店 (fake)', domain: 'kefu-fake.myshopify.com' } });
    if (url.pathname === '/admin/api/2024-10/orders.json') {
      const name = `#${(url.searchParams.get('name') ?? '').replace(/^#/, '')}`;
      return json(res, { orders: state.orders.filter((o) => o.name === name) });
    }
    const byCustomer = /^\/admin\/api\/2024-10\/customers\/(\d+)\/orders\.json$/.exec(url.pathname);
    if (byCustomer) {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const mine = state.orders.filter(
        (o) => String((o.customer as { id?: unknown } | undefined)?.id) === byCustomer[1],
      );
      return json(res, { orders: mine.slice(0, limit) });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

/** The headers Shopify sends with a delivery of `raw`, signed with `secret`. */
export function signedHeaders(
  secret: string,
  topic: string,
  raw: string,
  o: { shop?: string; webhookId?: string; triggeredAt?: string } = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': shopifyHmac(secret, raw),
    'x-shopify-topic': topic,
    'x-shopify-api-version': '2024-10',
    ...(o.shop ? { 'x-shopify-shop-domain': o.shop } : {}),
    'x-shopify-webhook-id': o.webhookId ?? crypto.randomUUID(),
    ...(o.triggeredAt ? { 'x-shopify-triggered-at': o.triggeredAt } : {}),
  };
}
