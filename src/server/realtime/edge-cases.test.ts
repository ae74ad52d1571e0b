/**
 * The protocol's edge cases (issue #8, correctness items 2–5, 7, 8; security finding 14): resume
 * beyond the last seq, per-entry `hello` errors, two tabs of one shopper, a replay larger than
 * the slow-reader bound, rate limits, ack order, and an upgrade with `Origin: null`.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { AckFrame, ErrorFrame, Message, ServerFrame } from '../../shared/realtime/protocol.ts';
import type { ConfigInput } from '../config.ts';
import { createLogger } from '../lib/logger.ts';
import { postMessage } from '../modules/conversations/index.ts';
import { engines, testApp, type Client, type TestApp } from '../testing/harness.ts';
import { connect, type TestSocket } from '../testing/ws-client.ts';

type Msg = { t: 'msg'; m: Message; prev?: number };

describe.each(engines)('realtime edge cases on %s', (engine) => {
  let t: TestApp;
  let base: string;
  let owner: Client;
  let publicId: string;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  async function setup(config: ConfigInput = {}, log?: Writable) {
    t = await testApp(engine, { config, ...(log ? { log: createLogger('info', log) } : {}) });
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    owner = (await t.workspace('edge')).owner;
    const r = await owner.post('/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    publicId = r.json().publicId;
  }
  async function token(visitorId = 'edge-visitor-0000000001') {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${publicId}/session`,
      payload: { visitorId, origin: 'https://shop.example.com' },
    });
    return (r.json() as { token: string }).token;
  }
  async function open(url: string, headers?: Record<string, string>) {
    const s = await connect(url, headers);
    sockets.push(s);
    await s.next((f) => f.t === 'welcome');
    return s;
  }
  /** A shopper's conversation with one message from them. */
  async function conversation(visitorId?: string) {
    const shop = await open(`${base}/ws?widget=${await token(visitorId)}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'first', body: '在吗？' });
    const ack = await shop.next<AckFrame>((f) => f.t === 'ack');
    return { shop, conv: ack.conv };
  }
  const msgs = (s: TestSocket) => s.frames.filter((f): f is Msg => f.t === 'msg');

  it('answers a resume beyond the last stored seq with the real last seq, and then streams live', async () => {
    await setup();
    const { conv } = await conversation();
    const agent = await open(`${base}/ws`, { cookie: owner.cookie });
    agent.send({ t: 'hello', subs: { [conv]: 57 } }); // e.g. after the database was restored from an older backup
    expect(await agent.next((f) => f.t === 'synced')).toEqual({ t: 'synced', conv, seq: 1 });
    await owner.post(`/api/conversations/${conv}/messages`, { clientId: 'r1', body: '您好' });
    expect((await agent.next<Msg>((f) => f.t === 'msg')).m).toMatchObject({ seq: 2, body: '您好' });
  });

  it('answers each refused entry of a hello with its own error and subscribes the others', async () => {
    await setup();
    const { conv } = await conversation();
    const other = await conversation('edge-visitor-0000000002');
    const agent = await open(`${base}/ws`, { cookie: owner.cookie });
    agent.send({ t: 'hello', subs: { cnv_unknown: 0, [conv]: 0 } });
    expect(await agent.next<ErrorFrame>((f) => f.t === 'error')).toMatchObject({
      code: 'not_found',
      conv: 'cnv_unknown',
    });
    expect(await agent.next((f) => f.t === 'synced')).toMatchObject({ conv, seq: 1 });
    // A shopper naming another visitor's conversation: refused for that entry only.
    const shop = await open(`${base}/ws?widget=${await token()}`);
    shop.send({ t: 'hello', subs: { [other.conv]: 0, [conv]: 0 } });
    expect(await shop.next<ErrorFrame>((f) => f.t === 'error')).toMatchObject({
      code: 'unknown_conversation',
      conv: other.conv,
    });
    await shop.next((f) => f.t === 'synced' && f.conv === conv);
    expect(msgs(shop).map((f) => f.m.conv)).toEqual([conv]);
  });

  it('lets two tabs of one shopper share the conversation either of them started', async () => {
    await setup();
    const session = await token();
    const tab1 = await open(`${base}/ws?widget=${session}`);
    const tab2 = await open(`${base}/ws?widget=${session}`); // opened before the conversation existed
    tab1.send({ t: 'hello', subs: {} });
    tab2.send({ t: 'hello', subs: {} });
    tab1.send({ t: 'send', cid: 't1', body: '第一条' });
    const conv = (await tab1.next<AckFrame>((f) => f.t === 'ack')).conv;
    tab2.send({ t: 'sub', conv, lastSeq: 0 });
    expect((await tab2.next<Msg>((f) => f.t === 'msg')).m.body).toBe('第一条');
    await tab2.next((f) => f.t === 'synced' && f.conv === conv);
    // A third tab sends without naming the conversation: it is attached with the whole history first.
    const tab3 = await open(`${base}/ws?widget=${session}`);
    await owner.post(`/api/conversations/${conv}/messages`, { clientId: 'a1', body: '客服回复' });
    tab3.send({ t: 'send', cid: 't3', body: '第三个标签页' });
    const ack = await tab3.next<AckFrame>((f) => f.t === 'ack');
    expect(ack).toMatchObject({ conv, seq: 3 });
    expect(msgs(tab3).map((f) => f.m.body)).toEqual(['第一条', '客服回复']);
    expect(tab3.frames.findIndex((f) => f.t === 'synced')).toBeLessThan(tab3.frames.indexOf(ack));
    // The other tabs get it live; the sending tab has its ack instead of an echo.
    await tab1.next((f) => f.t === 'msg' && f.m.body === '第三个标签页');
    await tab2.next((f) => f.t === 'msg' && f.m.body === '第三个标签页');
    expect(msgs(tab1).some((f) => f.m.cid === 't1')).toBe(false);
  });

  it('paces a replay of ~10 MB by the socket instead of closing a normally reading client', async () => {
    await setup();
    const { conv } = await conversation();
    const sender = {
      type: 'agent' as const,
      id: owner.actor.userId,
      name: 'Owner',
      workspaceId: owner.actor.workspaceId,
    };
    const body = '长'.repeat(4990) + '…'; // ~15 KB a frame in UTF-8
    for (let i = 0; i < 700; i += 100)
      await Promise.all(
        Array.from({ length: 100 }, (_, k) =>
          postMessage(t.s, sender, conv, { clientId: `big${i + k}`, kind: 'text', body }),
        ),
      );
    const agent = await open(`${base}/ws`, { cookie: owner.cookie });
    agent.send({ t: 'hello', subs: { [conv]: 0 } });
    const synced = await Promise.race([
      agent.next((f) => f.t === 'synced', 60_000),
      agent.closed.then((c) => Promise.reject(new Error(`closed with ${c.code}`))),
    ]);
    expect(synced).toMatchObject({ seq: 701 });
    expect(msgs(agent).map((f) => f.m.seq)).toEqual(Array.from({ length: 701 }, (_, i) => i + 1));
  }, 90_000);

  it('rate-limits messages per sender (retryable, the connection paused) and closes a frame flood with 4429', async () => {
    await setup({ chatMessagesPerSecond: 1, chatFramesPerSecond: 10 });
    const { shop, conv } = await conversation(); // 1 message of a burst of 10
    for (let i = 0; i < 12; i++) shop.send({ t: 'send', cid: `r${i}`, conv, body: `消息 ${i}` });
    const answers: ServerFrame[] = [];
    for (let i = 0; i < 12; i++)
      answers.push(await shop.next((f) => (f.t === 'ack' || f.t === 'error') && f.cid === `r${i}`));
    // Answers in send order: the burst's 9 left stored (one more if a second passed meanwhile on a
    // loaded machine), then a refusal with a retry time; the refusal pauses the connection, so
    // the send right behind it is refused too rather than stored ahead of it.
    const firstRefusal = answers.findIndex((f) => f.t === 'error');
    expect(firstRefusal).toBeGreaterThanOrEqual(9);
    expect(firstRefusal).toBeLessThanOrEqual(10);
    expect(answers.slice(0, firstRefusal).every((f) => f.t === 'ack')).toBe(true);
    expect(answers[firstRefusal]).toMatchObject({ code: 'rate_limited', retryInMs: expect.any(Number) });
    expect(answers[firstRefusal + 1]).toMatchObject({
      t: 'error',
      code: expect.stringMatching(/^(busy|rate_limited)$/),
    });
    // 30 frames at once: past the burst (3 s of 10/s) the connection is closed.
    for (let i = 0; i < 40; i++) shop.send({ t: 'ping' });
    expect((await shop.closed).code).toBe(4429);
  });

  it('sends acks in send order even when a resend of an earlier message is answered at once', async () => {
    await setup();
    const { shop, conv } = await conversation();
    for (let i = 0; i < 20; i++) {
      shop.send({ t: 'send', cid: `o${i}`, conv, body: `第 ${i} 条` });
      shop.send({ t: 'send', cid: 'first', conv, body: '在吗？' }); // a resend: a duplicate ack
    }
    const acks: string[] = [];
    for (let i = 0; i < 40; i++) acks.push((await shop.next<AckFrame>((f) => f.t === 'ack')).cid);
    expect(acks).toEqual(Array.from({ length: 20 }, (_, i) => [`o${i}`, 'first']).flat());
  });

  it('refuses an upgrade with Origin: null with a clean 403 and no error in the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    await setup({}, sink);
    for (const origin of ['null', 'not a url', 'file://']) {
      const err = await connect(`${base}/ws`, { cookie: owner.cookie, origin }).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 403 });
      expect(JSON.parse((err as { body: string }).body).error.code).toBe('origin_not_allowed');
    }
    expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });
});
