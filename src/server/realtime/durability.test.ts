/**
 * Durability through real processes: kill -9 while a shopper is sending loses no acknowledged
 * message and stores none twice; two server processes on PostgreSQL + Redis relay between a
 * shopper on one and an agent on the other.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Message, ServerFrame } from '../../shared/realtime/protocol.ts';
import type { Engine } from '../db/index.ts';
import { engines, pgUrl, redisUrl } from '../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess, type KefuProcess } from '../testing/spawn.ts';
import { connect } from '../testing/ws-client.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

// The flood below is far past the rate limits (they have their own tests): lift them here.
const unlimited = { KEFU_CHAT_FRAMES_PER_SECOND: '1000000', KEFU_CHAT_MESSAGES_PER_SECOND: '1000000' };
const place = async (engine: Engine) => {
  const where = await processPlace(engine, cleanups);
  return { ...where, env: { ...where.env, ...unlimited } };
};

async function shopperSession(url: string, publicId: string) {
  const res = await fetch(`${url}/api/widget/${publicId}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId: 'crash-visitor-0000000001', origin: 'https://shop.example.com' }),
  });
  return (await res.json()) as { token: string };
}

describe.each(engines)('durability on %s', (engine) => {
  it('kill -9 mid-stream: every acknowledged message survives, none twice', async () => {
    const where = await place(engine);
    let server: KefuProcess = await startKefuProcess(where);
    cleanups.push(() => server.stop());
    const auth = await signInHttp(server.url);
    const inbox = await api(server.url, auth, 'POST', '/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    const { token } = await shopperSession(server.url, inbox.publicId);

    const shop = await connect(`${server.url.replace('http', 'ws')}/ws?widget=${token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'm0', body: 'message 0' });
    const first = await shop.next<Extract<ServerFrame, { t: 'ack' }>>((f) => f.t === 'ack');
    const acked = new Set<string>(['m0']);
    shop.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as ServerFrame;
      if (f.t === 'ack') acked.add(f.cid);
    });
    const total = 3000;
    let sent = 1;
    // Keep sending until the kill; the kill lands while messages are in flight.
    const pump = setInterval(() => {
      for (let i = 0; i < 50 && sent < total && shop.ws.readyState === shop.ws.OPEN; i++, sent++)
        shop.send({ t: 'send', cid: `m${sent}`, conv: first.conv, body: `message ${sent}` });
    }, 2);
    // Stream for 300 ms and until some messages are acknowledged (on a loaded machine 300 ms may
    // bring none), then kill: the rest are still in flight.
    await new Promise((r) => setTimeout(r, 300));
    // Most of a flood from one connection is refused with `busy` (its queue is bounded), and each
    // refusal costs the server a frame: on a loaded machine the first commit can take longer.
    await expect.poll(() => acked.size, { interval: 5, timeout: 10_000 }).toBeGreaterThan(10);
    await server.kill9();
    clearInterval(pump);
    const ackedBeforeCrash = new Set(acked);
    expect(ackedBeforeCrash.size).toBeGreaterThan(10);

    server = await startKefuProcess(where);
    const auth2 = await signInHttp(server.url);
    const stored: Message[] = [];
    for (let after = 0; ;) {
      const page = (
        await api<{ items: Message[] }>(
          server.url,
          auth2,
          'GET',
          `/api/conversations/${first.conv}/messages?after=${after}&limit=500`,
        )
      ).items;
      stored.push(...page);
      if (page.length < 500) break;
      after = page[page.length - 1].seq;
    }
    const cids = stored.map((m) => m.cid);
    for (const cid of ackedBeforeCrash) expect(cids, `acknowledged ${cid} lost`).toContain(cid);
    expect(new Set(cids).size).toBe(cids.length);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1)); // no gaps, no reordering

    // The client resends everything it had sent without an ack: each is stored once.
    const again = await connect(`${server.url.replace('http', 'ws')}/ws?widget=${token}`);
    again.send({ t: 'hello', subs: { [first.conv]: stored.at(-1)!.seq } });
    const unacked = Array.from({ length: sent }, (_, i) => `m${i}`).filter((c) => !ackedBeforeCrash.has(c));
    const resend = (cid: string) => again.send({ t: 'send', cid, conv: first.conv, body: `message ${cid.slice(1)}` });
    // A connection's queue is bounded (chatQueuePerConnection, 200): resend in windows below it, and
    // as the client does, send a `busy` refusal again after its `retryInMs`.
    for (let todo = unacked; todo.length;) {
      const window = todo.slice(0, 100);
      for (const cid of window) resend(cid);
      const busy: string[] = [];
      let wait = 0;
      for (const cid of window) {
        const f = await Promise.race([
          again.next((x) => (x.t === 'ack' || x.t === 'error') && x.cid === cid, 15_000),
          again.closed.then((c) => Promise.reject(new Error(`the server closed the connection: ${c.code}`))),
        ]);
        if (f.t === 'error') {
          expect(f).toMatchObject({ code: 'busy' });
          busy.push(cid);
          wait = Math.max(wait, f.retryInMs ?? 50);
        }
      }
      todo = [...busy, ...todo.slice(window.length)];
      await new Promise((r) => setTimeout(r, wait));
    }
    again.close();
    const final = (
      await api<{ items: Message[] }>(
        server.url,
        auth2,
        'GET',
        `/api/conversations/${first.conv}/messages?after=0&limit=500`,
      )
    ).items;
    const count = await api<{ items: Message[] }>(
      server.url,
      auth2,
      'GET',
      `/api/conversations/${first.conv}/messages?after=${final.at(-1)!.seq}&limit=500`,
    );
    const allCids = [...final, ...count.items].map((m) => m.cid);
    expect(allCids.length).toBeLessThanOrEqual(sent);
    expect(new Set(allCids).size).toBe(allCids.length);
  }, 90_000);
});

describe.runIf(Boolean(pgUrl && redisUrl))('two processes on PostgreSQL + Redis', () => {
  it('relays between a shopper on node A and an agent on node B', async () => {
    const where = await place('postgres');
    // With Redis the sign-in limit per address is shared by every process using it, other tests'
    // and other test runs' included, and they all sign in from 127.0.0.1: not what this test is about.
    const env = { ...where.env, REDIS_URL: redisUrl!, KEFU_LOGIN_RATE_PER_MINUTE: '10000' };
    const a = await startKefuProcess({ dataDir: where.dataDir, env });
    cleanups.push(() => a.stop());
    const b = await startKefuProcess({ dataDir: (await place('sqlite')).dataDir, env });
    cleanups.push(() => b.stop());
    const authA = await signInHttp(a.url);
    const inbox = await api(a.url, authA, 'POST', '/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    const { token } = await shopperSession(a.url, inbox.publicId);
    const shop = await connect(`${a.url.replace('http', 'ws')}/ws?widget=${token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 's1', body: 'hello from node A' });
    const ack = await shop.next<Extract<ServerFrame, { t: 'ack' }>>((f) => f.t === 'ack');
    const authB = await signInHttp(b.url);
    const agent = await connect(`${b.url.replace('http', 'ws')}/ws`, { cookie: authB.cookie });
    agent.send({ t: 'hello', subs: { [ack.conv]: 0 } });
    await agent.next((f) => f.t === 'synced');
    expect(agent.frames.some((f) => f.t === 'msg' && f.m.body === 'hello from node A')).toBe(true);
    shop.send({ t: 'send', cid: 's2', conv: ack.conv, body: 'live across nodes' });
    await agent.next((f) => f.t === 'msg' && f.m.body === 'live across nodes');
    agent.send({ t: 'send', cid: 'a1', conv: ack.conv, body: 'answer from node B' });
    await shop.next((f) => f.t === 'msg' && f.m.body === 'answer from node B');
    agent.send({ t: 'typing', conv: ack.conv, on: true });
    await shop.next((f) => f.t === 'typing' && f.on);
    shop.close();
    agent.close();
  }, 60_000);
});
