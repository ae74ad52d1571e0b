/**
 * kill -9 right after the chat writer committed a shopper's message to a conversation that feeds
 * a ticket (KEFU_FAULT=crash-after-chat-commit: before the ack, before any delivery), with real
 * processes on both engines. The `conversation.customer_replied` event was written in the
 * messages' transaction, so after a restart the reply reaches the ticket's timeline — once, even
 * when the shopper's client resends the unacknowledged message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/realtime/protocol.ts';
import { engines } from '../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../testing/spawn.ts';
import { connect } from '../testing/ws-client.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

type Ack = Extract<ServerFrame, { t: 'ack' }>;
type Timeline = { items: { type: string; body: string | null }[] };

async function widgetToken(url: string, publicId: string): Promise<string> {
  const res = await fetch(`${url}/api/widget/${publicId}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId: 'crash-visitor-0000000002', origin: 'https://shop.example.com' }),
  });
  return ((await res.json()) as { token: string }).token;
}

describe.each(engines)('chat events through kill -9 on %s', (engine) => {
  it('a shopper’s reply committed just before the crash reaches the ticket exactly once', async () => {
    const where = await processPlace(engine, cleanups);
    const first = await startKefuProcess({ ...where, env: { ...where.env, KEFU_FAULT: 'crash-after-chat-commit' } });
    cleanups.push(() => first.stop());
    const auth = await signInHttp(first.url);
    const inbox = await api(first.url, auth, 'POST', '/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    const token = await widgetToken(first.url, inbox.publicId);
    const shop = await connect(`${first.url.replace('http', 'ws')}/ws?widget=${token}`);
    shop.send({ t: 'hello', subs: {} });
    // No ticket yet: no event, no crash.
    shop.send({ t: 'send', cid: 'q1', body: '订单 JD998877 少发了一件' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'q1');
    const ticket = await api(first.url, auth, 'POST', '/api/tickets', { subject: '少发货', conversationId: ack.conv });
    // Now the conversation feeds the ticket: this commit writes the event, and the process dies right after it.
    shop.send({ t: 'send', cid: 'q2', conv: ack.conv, body: '照片已上传' });
    expect((await shop.closed).code).not.toBe(1000);
    await first.kill9(); // already dead; waits for the exit
    expect(shop.frames.some((f) => f.t === 'ack' && f.cid === 'q2')).toBe(false);

    const second = await startKefuProcess(where);
    cleanups.push(() => second.stop());
    const auth2 = await signInHttp(second.url);
    const replies = async () =>
      (await api<Timeline>(second.url, auth2, 'GET', `/api/tickets/${ticket.id}/timeline`)).items.filter(
        (e) => e.type === 'customer_reply',
      );
    // The restarted node's poller delivers the event that was committed with the message.
    await expect.poll(async () => (await replies()).length, { timeout: 15_000 }).toBe(1);

    // The shopper's client resends what was never acknowledged: acked as a duplicate, no second event.
    const again = await connect(
      `${second.url.replace('http', 'ws')}/ws?widget=${await widgetToken(second.url, inbox.publicId)}`,
    );
    again.send({ t: 'hello', subs: { [ack.conv]: 0 } });
    again.send({ t: 'send', cid: 'q2', conv: ack.conv, body: '照片已上传' });
    expect(await again.next<Ack>((f) => f.t === 'ack' && f.cid === 'q2', 10_000)).toMatchObject({ duplicate: true });
    again.close();
    await new Promise((r) => setTimeout(r, 1500)); // give a duplicate every chance to appear
    expect((await replies()).map((e) => e.body)).toEqual(['照片已上传']);
    const msgs = await api<{ items: { cid: string }[] }>(
      second.url,
      auth2,
      'GET',
      `/api/conversations/${ack.conv}/messages`,
    );
    expect(msgs.items.map((m) => m.cid)).toEqual(['q1', 'q2']);
  }, 90_000);
});
