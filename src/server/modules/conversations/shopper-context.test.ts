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
