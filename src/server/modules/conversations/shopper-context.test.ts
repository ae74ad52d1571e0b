/** The shopper's context on both engines: reported by the widget with its session, validated and bounded, read by agents. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { parseUserAgent } from './shopper-context.ts';

const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x18003237) NetType/WIFI Language/zh_CN';
const desktop =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('parseUserAgent', () => {
  it('names the device, browser and system shoppers use', () => {
    expect(parseUserAgent(iphone)).toEqual({ device: 'mobile', browser: 'WeChat 8', os: 'iOS' });
    expect(parseUserAgent(desktop)).toEqual({ device: 'desktop', browser: 'Chrome 131', os: 'Windows' });
    expect(parseUserAgent('')).toEqual({ device: 'desktop', browser: 'other', os: 'other' });
  });
});

describe.each(engines)('shopper context on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let inbox: { publicId: string };
  let session: { token: string; customerId: string };
  const report = (body: unknown, token: string | null = session.token, ua = iphone) =>
    t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/context`,
      headers: { 'user-agent': ua, ...(token ? { authorization: `Widget ${token}` } : {}) },
      payload: body as object,
    });

  beforeAll(async () => {
    t = await testApp(engine);
    const ws = await t.workspace('context');
    agent = await t.user(ws.id, 'agent');
    inbox = (
      await ws.owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-context-abcdefgh', origin: 'https://shop.example.com' },
      })
    ).json();
  });
  afterAll(async () => t?.close());

  it("records the shopper's page, referrer, device, browser and time zone, and shows them to agents", async () => {
    expect((await agent.get(`/api/customers/${session.customerId}/context`)).json()).toEqual({
      context: null,
      geoip: false,
    });
    const r = await report({
      url: 'https://shop.example.com/products/down-jacket?color=black',
      title: '轻薄羽绒服 – 示例商店',
      referrer: 'https://www.baidu.com/s?wd=羽绒服',
      timeZone: 'Asia/Shanghai',
      language: 'zh-CN',
    });
    expect(r.statusCode).toBe(200);
    const seen = (await agent.get(`/api/customers/${session.customerId}/context`)).json().context;
    expect(seen).toMatchObject({
      url: 'https://shop.example.com/products/down-jacket?color=black',
      title: '轻薄羽绒服 – 示例商店',
      referrer: 'https://www.baidu.com/s?wd=羽绒服',
      device: 'mobile',
      browser: 'WeChat 8',
      os: 'iOS',
      timeZone: 'Asia/Shanghai',
      city: null,
    });
    // A page change replaces it.
    await report({ url: 'https://shop.example.com/cart', title: '购物车', referrer: '' }, session.token, desktop);
    expect((await agent.get(`/api/customers/${session.customerId}/context`)).json().context).toMatchObject({
      url: 'https://shop.example.com/cart',
      referrer: null,
      device: 'desktop',
    });
  });

  it('keeps the order number from the pre-chat form with the context agents see, and refuses a malformed one', async () => {
    const start = (preChat: object, visitorId = 'visitor-prechat-order-01') =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId, origin: 'https://shop.example.com', preChat },
      });
    const r = await start({ name: '李四', orderNo: ' KF-20240601-0042 ' });
    expect(r.statusCode, r.body).toBe(200);
    const shopper = r.json();
    expect(shopper).not.toHaveProperty('orderNo');
    // The shopper writes (nobody online: a message left); the agent opens the conversation and its customer's context.
    const left = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      headers: { authorization: `Widget ${shopper.token}` },
      payload: { contact: '13800138000', body: '我的订单还没发货' },
    });
    expect(left.statusCode, left.body).toBe(200);
    const convs: { id: string; customerId: string }[] = (await agent.get('/api/conversations')).json().items;
    const conv = convs.find((c) => c.customerId === shopper.customerId)!;
    expect(conv, JSON.stringify(convs)).toBeDefined();
    const context = async () => (await agent.get(`/api/customers/${conv.customerId}/context`)).json().context;
    expect(await context()).toMatchObject({ orderNo: 'KF-20240601-0042', url: null });
    // A page report keeps it; a later session without one keeps it; another one replaces it.
    await report({ url: 'https://shop.example.com/orders', title: '我的订单' }, shopper.token);
    expect(await context()).toMatchObject({ orderNo: 'KF-20240601-0042', url: 'https://shop.example.com/orders' });
    expect((await start({ name: '李四' })).statusCode).toBe(200);
    expect((await context()).orderNo).toBe('KF-20240601-0042');
    expect((await start({ orderNo: '#1001' })).statusCode).toBe(200);
    expect((await context()).orderNo).toBe('#1001');

    for (const orderNo of ['订单123', 'A 1', 'x'.repeat(65), '<script>', '1;DROP']) {
      const bad = await start({ name: '王五', orderNo }, 'visitor-prechat-order-02');
      expect(bad.statusCode, orderNo).toBe(400);
      expect(bad.json().error.message).toMatch(/^invalid body: body\/preChat\/orderNo (an order number|Too big)/);
    }
    // An empty one is "not given", as for the other fields.
    const none = await start({ name: '王五', orderNo: '' }, 'visitor-prechat-order-02');
    expect(none.statusCode, none.body).toBe(200);
    expect((await agent.get(`/api/customers/${none.json().customerId}/context`)).json().context).toBeNull();
  });

  it('refuses reports without a session, with bad fields or oversized ones, and other workspaces', async () => {
    const ok = { url: 'https://shop.example.com/', title: 'x' };
    expect((await report(ok, null)).statusCode).toBe(401);
    expect((await report(ok, 'not-a-token')).statusCode).toBe(401);
    expect((await report({ url: 'javascript:alert(1)' })).statusCode).toBe(400);
    expect((await report({ ...ok, timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await report({ ...ok, url: `https://shop.example.com/${'a'.repeat(1001)}` })).statusCode).toBe(400);
    expect((await report({ ...ok, title: 'x'.repeat(301) })).statusCode).toBe(400);
    expect((await report({ ...ok, extra: 1 })).statusCode).toBe(400);
    const other = (await t.workspace('context-b')).owner;
    expect((await other.get(`/api/customers/${session.customerId}/context`)).statusCode).toBe(404);
  });
});
