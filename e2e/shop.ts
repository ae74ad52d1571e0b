/** A shop's page on a second origin that embeds Kefu's widget, as a merchant's site would. */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import WebSocket from 'ws';

export type ShopServer = {
  /** The shop's origin, e.g. http://localhost:41234: a different site from Kefu's, as on the web. */
  origin: string;
  /** The shop page embedding the widget of the inbox with this public id. */
  url: (publicId: string) => string;
  stop: () => Promise<void>;
};

/**
 * Serves e2e/fixtures/shop.html from a second origin (localhost when Kefu is on 127.0.0.1 and
 * the other way round), with its script tag pointing at Kefu's /widget.js and the inbox's public
 * id from `?inbox=`, under a CSP a careful shop would send (scripts and frames only from itself
 * and Kefu, no inline script).
 */
export async function startShop(kefuUrl: string): Promise<ShopServer> {
  const kefu = new URL(kefuUrl);
  const template = readFileSync(fileURLToPath(new URL('fixtures/shop.html', import.meta.url)), 'utf8');
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    const inbox = url.searchParams.get('inbox') ?? '';
    if (url.pathname !== '/' || !/^[\w-]{1,64}$/.test(inbox)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const html = template.replace('__PUBLIC_ID__', inbox).replace('src="/widget.js"', `src="${kefu.origin}/widget.js"`);
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `default-src 'self'; script-src 'self' ${kefu.origin}; frame-src ${kefu.origin}; style-src 'self' 'unsafe-inline'; img-src 'self' data:`,
      })
      .end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = kefu.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: (publicId) => `${origin}/?inbox=${encodeURIComponent(publicId)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A shopper writes through the widget's socket (no page needed): a widget session for
 * `visitorId` from `origin` (one of the inbox's allowed origins), then a message; resolves with
 * the conversation id and the open socket (the caller closes it).
 */
export async function shopperWrites(
  serverUrl: string,
  opts: { publicId: string; visitorId: string; origin: string; text: string },
): Promise<{ conversationId: string; socket: WebSocket }> {
  const res = await fetch(`${serverUrl}/api/widget/${opts.publicId}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId: opts.visitorId, origin: opts.origin }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const { token } = (await res.json()) as { token: string };
  const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/ws?widget=${token}`);
  const conversationId = await new Promise<string>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ t: 'send', cid: 'c1', body: opts.text })));
    socket.on('message', (data) => {
      const f = JSON.parse(String(data)) as { t?: string; conv?: string };
      if (f.t === 'ack' && f.conv) resolve(f.conv);
    });
  });
  return { conversationId, socket };
}
