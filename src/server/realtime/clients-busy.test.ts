/**
 * The shared realtime client, wired as the console (agent) and as the widget (shopper), against
 * the real gateway that refuses sends (`rate_limited`, then `busy` during the pause): the client
 * keeps the refused send, backs off, writes it again on the same connection, and in the end
 * every message is stored once, in the order it was written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChatClient } from '../../shared/realtime/client.ts';
import type { SocketLike } from '../../shared/realtime/connection.ts';
import type { ErrorFrame, Sender } from '../../shared/realtime/protocol.ts';
import { engines, testApp, type TestApp } from '../testing/harness.ts';

describe.each(engines)('the shared client under refusals on %s', (engine) => {
  let t: TestApp;
  const clients: ChatClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.stop();
    await t?.close();
  });

  function client(url: string, self: Sender, headers: Record<string, string> = {}) {
    const errors: ErrorFrame[] = [];
    let sockets = 0;
    const c = new ChatClient(
      { error: (f) => errors.push(f) },
      { url: () => url, self: () => self },
      {
        createSocket: (u) => {
          sockets++;
          return new WebSocket(u, { headers }) as unknown as SocketLike;
        },
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        random: Math.random,
      },
    );
    clients.push(c);
    return { c, errors, sockets: () => sockets };
  }

  it.each(['agent', 'customer'] as const)(
    'as the %s: refused sends are retried until all are stored, in order',
    async (role) => {
      // 3 messages a second, bursts of 30: 40 messages at once are partly refused.
      t = await testApp(engine, { config: { chatMessagesPerSecond: 3 } });
      const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
      const { owner } = await t.workspace('busy');
      const inbox = (
        await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
      ).json();
      const session = (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inbox.publicId}/session`,
          payload: { visitorId: 'busy-visitor-0000000001', origin: 'https://shop.example.com' },
        })
      ).json() as { token: string; customerId: string };
      // The shopper's conversation, started over the socket by the shared client.
      const shop = client(`${base}/ws?widget=${session.token}`, {
        type: 'customer',
        id: session.customerId,
        name: null,
      });
      shop.c.start();
      shop.c.send({ conv: null, kind: 'text', body: '你好' });
      await expect.poll(() => shop.c.pending().length, { timeout: 10_000 }).toBe(0);
      const conv = shop.c.conversations()[0];
      shop.c.stop();
      const x =
        role === 'agent'
          ? client(`${base}/ws`, { type: 'agent', id: owner.actor.userId, name: 'Owner' }, { cookie: owner.cookie })
          : client(`${base}/ws?widget=${session.token}`, { type: 'customer', id: session.customerId, name: null });
      x.c.subscribe(conv);
      x.c.start();
      for (let i = 1; i <= 40; i++) x.c.send({ conv, kind: 'text', body: `第 ${i} 条` });
      await expect.poll(() => x.c.pending().length, { timeout: 30_000, interval: 100 }).toBe(0);
      expect(x.errors).toEqual([]); // nothing shown as failed: refusals were settled by retrying
      expect(x.sockets()).toBe(1); // on the same connection
      const stored = (await owner.get(`/api/conversations/${conv}/messages?limit=100`)).json().items as {
        body: string;
      }[];
      const mine = stored.map((m) => m.body).filter((b) => b.startsWith('第 '));
      expect(mine).toEqual(Array.from({ length: 40 }, (_, i) => `第 ${i + 1} 条`));
      const metrics = await t.s.metrics.getSingleMetricAsString('kefu_realtime_rate_limited_total');
      expect(metrics).toMatch(/what="messages"} [1-9]/);
    },
    60_000,
  );
});
