/**
 * Class test (issue #9): every write route a stranger can reach without signing in (sign-in, the
 * widget's session and offline message, uploads with a widget token) is rate limited. Generated
 * from the route table: a public write route without a request here fails the test, so a new one
 * cannot be added unlimited. (The upload quota is in conversations/uploads.test.ts.)
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../testing/harness.ts';
import { multipart, png } from '../testing/multipart.ts';

const limit = 3;

describe.each(engines)('anonymous writes on %s', (engine) => {
  let t: TestApp;
  let publicId: string;
  let widgetToken: string;

  beforeAll(async () => {
    t = await testApp(engine, {
      config: {
        loginRatePerMinute: limit,
        widgetRatePerMinute: limit,
        offlineRatePerMinute: limit,
        uploadRatePerMinute: limit,
        webhookRatePerMinute: limit,
      },
    });
    const { owner } = await t.workspace('shop');
    publicId = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json().publicId;
    widgetToken = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${publicId}/session`,
        remoteAddress: '192.0.2.200',
        payload: { visitorId: 'visitor-limits-00000001', origin: 'https://shop.example.com' },
      })
    ).json().token;
  });
  afterAll(async () => t?.close());

  /** One request of each anonymous write route, from `ip`. */
  const requests: Record<string, (ip: string) => InjectOptions> = {
    'POST /api/auth/login': (ip) => ({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { email: 'nobody@example.com', password: 'guess-guess-guess' },
    }),
    'POST /api/widget/:publicId/session': (ip) => ({
      method: 'POST',
      url: `/api/widget/${publicId}/session`,
      remoteAddress: ip,
      payload: { visitorId: `visitor-${ip.replaceAll('.', '-')}-0001`, origin: 'https://shop.example.com' },
    }),
    'POST /api/widget/:publicId/offline-message': (ip) => ({
      method: 'POST',
      url: `/api/widget/${publicId}/offline-message`,
      remoteAddress: ip,
      payload: { contact: 'x@example.com', body: 'spam' },
    }),
    'POST /api/ops/ack/:token': (ip) => ({
      method: 'POST',
      url: '/api/ops/ack/not-a-real-token-at-all-0000',
      remoteAddress: ip,
      headers: { 'content-type': 'text/plain' },
      payload: '',
    }),
    'POST /api/widget/:publicId/csat/:requestId': (ip) => ({
      method: 'POST',
      url: `/api/widget/${publicId}/csat/csr_NOTAREALREQUEST0000000000`,
      remoteAddress: ip,
      headers: { authorization: `Widget ${widgetToken}` },
      payload: { score: 5 },
    }),
    'POST /api/widget/:publicId/bot-rating': (ip) => ({
      method: 'POST',
      url: `/api/widget/${publicId}/bot-rating`,
      remoteAddress: ip,
      headers: { authorization: `Widget ${widgetToken}` },
      payload: { messageId: 'msg_NOTAREALMESSAGE000000000', useful: true },
    }),
    'POST /api/widget/:publicId/context': (ip) => ({
      method: 'POST',
      url: `/api/widget/${publicId}/context`,
      remoteAddress: ip,
      headers: { authorization: `Widget ${widgetToken}` },
      payload: { url: 'https://shop.example.com/p/1' },
    }),
    'POST /api/store/webhooks/shopify/:workspaceId': (ip) => ({
      method: 'POST',
      url: '/api/store/webhooks/shopify/ws_NOTAREALWORKSPACE00000000',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/updated' },
      payload: '{}',
    }),
    'POST /api/csat/link/:token': (ip) => ({
      method: 'POST',
      url: '/api/csat/link/csr_NOTAREAL.abc.not-a-real-mac-0000000000000000',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'score=5',
    }),
    'POST /api/uploads': (ip) => {
      const m = multipart('a.png', 'image/png', png);
      return {
        method: 'POST',
        url: '/api/uploads',
        remoteAddress: ip,
        payload: m.payload,
        headers: { ...m.headers, authorization: `Widget ${widgetToken}` },
      };
    },
  };

  it('has a limited request for every anonymous write route', () => {
    const open = t.app.kefuRoutes
      .filter((r) => r.auth === 'public' && r.method !== 'GET')
      .map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(Object.keys(requests).sort());
  });

  it.each(Object.keys(requests))('answers 429 once %s is hammered from one address', async (key) => {
    const ip = `198.51.100.${Object.keys(requests).indexOf(key) + 1}`;
    const codes: number[] = [];
    for (let i = 0; i < limit + 2; i++) codes.push((await t.app.inject(requests[key](ip))).statusCode);
    expect(
      codes.slice(0, limit).every((c) => c !== 429 && c < 500),
      `${key}: ${codes.join(',')}`,
    ).toBe(true);
    expect(codes.slice(limit), key).toEqual([429, 429]);
  });
});
