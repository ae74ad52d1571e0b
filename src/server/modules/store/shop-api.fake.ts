/**
 * FAKE: a local stand-in for a third-party store's Admin API (Shopify's REST shape), for tests
 * only — the real service is a cloud API that cannot run here. It serves recorded-style order
 * payloads, checks the access token, and can be told to hang, fail or answer garbage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeShop = {
  url: string;
  mode: 'ok' | 'hang' | 'error' | 'garbage';
  requests: number;
  close(): Promise<void>;
};

export const fakeOrder = {
  name: '#1001',
  created_at: '2026-12-01T02:00:00Z',
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
      tracking_company: '顺丰速运',
      tracking_number: 'SF1402938475612',
      shipment_status: 'in_transit',
      created_at: '2026-12-01T10:00:00Z',
      updated_at: '2026-12-02T08:00:00Z',
    },
  ],
  refunds: [],
};

export async function startFakeShop(token: string): Promise<FakeShop> {
  const state: FakeShop = { url: '', mode: 'ok', requests: 0, close: async () => {} };
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
    if (url.pathname === '/admin/api/2024-10/orders.json') {
      const name = url.searchParams.get('name');
      const orders = name && `#${name.replace(/^#/, '')}` === fakeOrder.name ? [fakeOrder] : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ orders }));
      return;
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
