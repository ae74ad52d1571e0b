/** The realtime gateway through a real socket: delivery both ways, resume, idempotent resends, bad input. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, ServerFrame } from '../../shared/realtime/protocol.ts';
import type { ConfigInput } from '../config.ts';
import { engines, testApp, type TestApp, allTables } from '../testing/harness.ts';
import { connect, type TestSocket } from '../testing/ws-client.ts';

type Ack = Extract<ServerFrame, { t: 'ack' }>;
const isMsg = (body: string) => (f: ServerFrame) => f.t === 'msg' && f.m.body === body;

describe.each(engines)('realtime gateway on %s', (engine) => {
  let t: TestApp;
  let base: string;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  async function setup(settings: object = {}, config: ConfigInput = {}) {
    t = await testApp(engine, { config });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = address.replace('http', 'ws');
    const { owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: { allowedOrigins: ['https://shop.example.com'], ...settings },
      })
    ).json();
    return { owner, inbox };
  }
  async function shopper(publicId: string, visitorId = 'visitor-0123456789abcdef', extra: object = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${publicId}/session`,
      payload: { visitorId, origin: 'https://shop.example.com', ...extra },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { token: string; customerId: string; conversationId: string | null };
  }
  async function open(url: string, headers?: Record<string, string>) {
    const s = await connect(url, headers);
    sockets.push(s);
    await s.next((f) => f.t === 'welcome');
    return s;
  }

  it('carries messages both ways, keeps notes from the shopper, and shows typing and reads', async () => {
    const { owner, inbox } = await setup();
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'c1', body: '你好，我的订单还没到' });
    const ack1 = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'c1');
    expect(ack1.seq).toBe(1);

    const agent = await open(`${base}/ws`, { cookie: owner.cookie });
    agent.send({ t: 'hello', subs: { [ack1.conv]: 0 }, inboxUpdates: true });
    const replayed = await agent.next<{ t: 'msg'; m: Message }>(isMsg('你好，我的订单还没到'));
    expect(replayed.m).toMatchObject({ seq: 1, sender: { type: 'customer' }, cid: 'c1' });
    await agent.next((f) => f.t === 'synced' && f.conv === ack1.conv && f.seq === 1);

    agent.send({ t: 'typing', conv: ack1.conv, on: true });
    await shop.next((f) => f.t === 'typing' && f.from === 'agent' && f.on);
    agent.send({ t: 'send', cid: 'a1', conv: ack1.conv, body: '您好，我来查一下' });
    agent.send({ t: 'send', cid: 'n1', conv: ack1.conv, kind: 'note', body: 'internal: VIP customer' });
    await shop.next(isMsg('您好，我来查一下'));
    await agent.next((f) => f.t === 'ack' && f.cid === 'n1');
    shop.send({ t: 'read', conv: ack1.conv, seq: 2 });
    await agent.next((f) => f.t === 'read' && f.by === 'customer' && f.seq === 2);
    shop.send({ t: 'send', cid: 'c2', conv: ack1.conv, body: '好的谢谢' });
    await agent.next(isMsg('好的谢谢'));
    await agent.next((f) => f.t === 'conv' && f.c.id === ack1.conv && f.c.lastSeq === 4);
    expect(shop.frames.some((f) => f.t === 'msg' && f.m.kind === 'note')).toBe(false);
    const history = (await owner.get(`/api/conversations/${ack1.conv}/messages`)).json().items as Message[];
    expect(history.map((m) => [m.seq, m.kind, m.body])).toEqual([
      [1, 'text', '你好，我的订单还没到'],
      [2, 'text', '您好，我来查一下'],
      [3, 'note', 'internal: VIP customer'],
      [4, 'text', '好的谢谢'],
    ]);
  });

  it("shows the agent's display name, or no name (never the account name), and a rename without reconnecting", async () => {
    const { owner, inbox } = await setup();
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'c1', body: '在吗' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'c1');
    const agent = await open(`${base}/ws`, { cookie: owner.cookie });
    agent.send({ t: 'hello', subs: { [ack.conv]: 0 } });
    await agent.next((f) => f.t === 'synced');
    // No display name yet: shoppers get no name (the widget says 客服 / Support), not "Owner shop".
    agent.send({ t: 'send', cid: 'a0', conv: ack.conv, body: '在的' });
    const first = await shop.next<{ t: 'msg'; m: Message }>(isMsg('在的'));
    expect(first.m.sender).toMatchObject({ type: 'agent', name: null });
    expect(JSON.stringify(first)).not.toContain(owner.actor.email);
    // Naming and renaming (`user.updated`) re-read the socket's rights and name on every node.
    let n = 0;
    for (const wanted of ['客服小雨', '小雨']) {
      await owner.patch(`/api/users/${owner.actor.userId}`, { displayName: wanted });
      let name: string | null = null;
      for (let i = 1; i <= 50 && name !== wanted; i++) {
        agent.send({ t: 'send', cid: `a${++n}`, conv: ack.conv, body: `回复 ${n}` });
        name = (await shop.next<{ t: 'msg'; m: Message }>(isMsg(`回复 ${n}`))).m.sender.name;
        if (name !== wanted) await new Promise((r) => setTimeout(r, 100));
      }
      expect(name).toBe(wanted);
    }
  });

  it('resumes after a disconnect with exactly the missed messages, in order, and stores a resend once', async () => {
    const { owner, inbox } = await setup();
    const session = await shopper(inbox.publicId);
    let shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'first', body: 'hello' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'first');
    shop.close();
    await shop.closed;
    for (let i = 1; i <= 5; i++) {
      const r = await owner.post(`/api/conversations/${ack.conv}/messages`, { clientId: `a${i}`, body: `reply ${i}` });
      expect(r.statusCode, r.body).toBe(200);
    }
    shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: { [ack.conv]: ack.seq } });
    await shop.next((f) => f.t === 'synced' && f.conv === ack.conv);
    const got = shop.frames.filter((f): f is { t: 'msg'; m: Message } => f.t === 'msg').map((f) => [f.m.seq, f.m.body]);
    expect(got).toEqual([2, 3, 4, 5, 6].map((seq, i) => [seq, `reply ${i + 1}`]));
    // A resend of an acknowledged message (same cid) is acknowledged again, not stored again.
    shop.send({ t: 'send', cid: 'first', conv: ack.conv, body: 'hello' });
    const again = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'first');
    expect(again).toMatchObject({ id: ack.id, seq: ack.seq, duplicate: true });
    const all = (await owner.get(`/api/conversations/${ack.conv}/messages`)).json().items as Message[];
    expect(all.filter((m) => m.body === 'hello')).toHaveLength(1);
  });

  it('keeps a shopper’s history across visits and devices when the shop signs the user id', async () => {
    const { owner, inbox } = await setup({ requireIdentity: false });
    const full = (await owner.get(`/api/inboxes/${inbox.id}`)).json();
    const hash = createHmac('sha256', full.identitySecret).update('user-42').digest('hex');
    const phone = await shopper(inbox.publicId, 'phone-visitor-000000001', { identity: { userId: 'user-42', hash } });
    const s1 = await open(`${base}/ws?widget=${phone.token}`);
    s1.send({ t: 'hello', subs: {} });
    s1.send({ t: 'send', cid: 'p1', body: 'from my phone' });
    const ack = await s1.next<Ack>((f) => f.t === 'ack');
    const laptop = await shopper(inbox.publicId, 'laptop-visitor-00000001', { identity: { userId: 'user-42', hash } });
    expect(laptop.customerId).toBe(phone.customerId);
    expect(laptop.conversationId).toBe(ack.conv);
    const s2 = await open(`${base}/ws?widget=${laptop.token}`);
    s2.send({ t: 'hello', subs: {} });
    await s2.next(isMsg('from my phone'));
    // Someone else cannot claim user-42 without the shop's signature.
    const forged = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/session`,
      payload: {
        visitorId: 'attacker-000000000001',
        origin: 'https://shop.example.com',
        identity: { userId: 'user-42', hash: 'ab'.repeat(32) },
      },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('identity_invalid');
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const { owner, inbox } = await setup({ allowedOrigins: ['https://shop.example.com'] });
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/session`,
      payload: { visitorId: 'visitor-0123456789abcdef', origin: 'https://evil.example.net' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('origin_not_allowed');
    await expect(connect(`${base}/ws?widget=forged.token`)).rejects.toMatchObject({ status: 401 });
    await expect(connect(`${base}/ws`)).rejects.toMatchObject({ status: 401 });
    await expect(
      connect(`${base}/ws`, { cookie: owner.cookie, origin: 'https://evil.example.net' }),
    ).rejects.toMatchObject({ status: 403 });

    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send('not json');
    expect((await shop.next((f) => f.t === 'error')) as object).toMatchObject({ code: 'invalid_frame' });
    shop.send({ t: 'send', cid: 'big', body: 'x'.repeat(5001) });
    expect(await shop.next((f) => f.t === 'error' && f.cid === 'big')).toMatchObject({ code: 'invalid_frame' });
    shop.send({ t: 'send', cid: 'note', kind: 'note', body: 'sneaky' });
    expect(await shop.next((f) => f.t === 'error' && f.cid === 'note')).toMatchObject({ code: 'bad_request' });
    shop.send({ t: 'send', cid: 'x', conv: 'cnv_doesnotexist', body: 'hi' });
    expect(await shop.next((f) => f.t === 'error' && f.cid === 'x')).toMatchObject({ code: 'unknown_conversation' });
    shop.send({ t: 'sub', conv: 'cnv_doesnotexist', lastSeq: 0 });
    expect(await shop.next((f) => f.t === 'error' && f.conv === 'cnv_doesnotexist')).toMatchObject({
      code: 'unknown_conversation',
    });
    shop.send({ t: 'bogus' });
    await shop.next((f) => f.t === 'error' && f.code === 'invalid_frame' && !('cid' in f));
    shop.send({ t: 'send', cid: 'huge', body: 'y'.repeat(70 * 1024) });
    expect((await shop.closed).code).toBe(1009);
    expect((await owner.get('/api/conversations')).json().items).toHaveLength(0);
    const count = await allTables(t.s)
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps workspaces apart: an agent of another workspace cannot subscribe or write', async () => {
    const { inbox } = await setup();
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 's1', body: 'secret order 123' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack');
    const { owner: intruder } = await t.workspace('other');
    const agent = await open(`${base}/ws`, { cookie: intruder.cookie });
    agent.send({ t: 'sub', conv: ack.conv, lastSeq: 0 });
    expect(await agent.next((f) => f.t === 'error')).toMatchObject({ code: 'not_found' });
    agent.send({ t: 'send', cid: 'i1', conv: ack.conv, body: 'hijack' });
    expect(await agent.next((f) => f.t === 'error' && f.cid === 'i1')).toMatchObject({ code: 'not_found' });
    expect(agent.frames.some((f) => f.t === 'msg')).toBe(false);
  });

  it('keys resends by the sender: two agents who pick the same cid in one conversation both get stored', async () => {
    const { owner, inbox } = await setup();
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'same', body: 'hello' });
    const first = await shop.next<Ack>((f) => f.t === 'ack');
    const colleague = await t.user(owner.actor.workspaceId, 'agent');
    const a = await open(`${base}/ws`, { cookie: owner.cookie });
    const b = await open(`${base}/ws`, { cookie: colleague.cookie });
    a.send({ t: 'send', cid: 'same', conv: first.conv, body: 'from the owner' });
    const ackA = await a.next<Ack>((f) => f.t === 'ack');
    b.send({ t: 'send', cid: 'same', conv: first.conv, body: 'from a colleague' });
    const ackB = await b.next<Ack>((f) => f.t === 'ack');
    expect([first.seq, ackA.seq, ackB.seq]).toEqual([1, 2, 3]);
    expect([ackA.duplicate, ackB.duplicate]).toEqual([undefined, undefined]);
    const all = (await owner.get(`/api/conversations/${first.conv}/messages`)).json().items as Message[];
    expect(all.map((m) => [m.cid, m.body])).toEqual([
      ['same', 'hello'],
      ['same', 'from the owner'],
      ['same', 'from a colleague'],
    ]);
  });

  it('refuses a cid reused for a different message with cid_conflict, and acks a true resend', async () => {
    const { owner, inbox } = await setup();
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'c1', body: 'my order 123' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'c1');
    shop.send({ t: 'send', cid: 'c1', conv: ack.conv, body: 'something else entirely' });
    expect(await shop.next((f) => f.t === 'error' && f.cid === 'c1')).toMatchObject({
      code: 'cid_conflict',
      conv: ack.conv,
      message: expect.stringContaining('new client id'),
    });
    // The same cid, twice in one go with different bodies: the first is a resend, the second a conflict.
    shop.send({ t: 'send', cid: 'c2', conv: ack.conv, body: 'two' });
    shop.send({ t: 'send', cid: 'c2', conv: ack.conv, kind: 'file', body: 'two' });
    const ack2 = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'c2');
    expect(await shop.next((f) => f.t === 'error' && f.cid === 'c2')).toMatchObject({ code: 'cid_conflict' });
    shop.send({ t: 'send', cid: 'c1', conv: ack.conv, body: 'my order 123' });
    expect(await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'c1')).toMatchObject({
      id: ack.id,
      seq: ack.seq,
      duplicate: true,
    });
    const all = (await owner.get(`/api/conversations/${ack.conv}/messages`)).json().items as Message[];
    expect(all.map((m) => [m.seq, m.cid, m.body])).toEqual([
      [1, 'c1', 'my order 123'],
      [ack2.seq, 'c2', 'two'],
    ]);
  });

  it('answers sends past the queue bound with busy and a retry time; the same frames later are stored once', async () => {
    const { owner, inbox } = await setup({}, { chatQueuePerConnection: 1 });
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'first', body: 'first' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack');
    const cids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const cid of cids) shop.send({ t: 'send', cid, conv: ack.conv, body: cid });
    const settle = async (cid: string): Promise<void> => {
      const f = await shop.next((x) => (x.t === 'ack' || x.t === 'error') && x.cid === cid);
      if (f.t === 'ack') return;
      expect(f).toMatchObject({ code: 'busy', conv: ack.conv, retryInMs: expect.any(Number) });
      await new Promise((r) => setTimeout(r, (f as { retryInMs: number }).retryInMs));
      shop.send({ t: 'send', cid, conv: ack.conv, body: cid });
      return settle(cid);
    };
    const busyCount = () => shop.frames.filter((f) => f.t === 'error' && f.code === 'busy').length;
    for (const cid of cids) await settle(cid);
    expect(busyCount()).toBeGreaterThan(0);
    const all = (await owner.get(`/api/conversations/${ack.conv}/messages`)).json().items as Message[];
    expect(all.map((m) => m.cid).sort()).toEqual(['first', ...cids].sort());
  });

  it('counts presence only for those who take conversations; a hello on an open connection adds inbox updates', async () => {
    const { owner, inbox } = await setup();
    const rule = await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: { enabled: true } });
    expect(rule.statusCode, rule.body).toBe(200);
    const ws = owner.actor.workspaceId;
    const agent = await t.user(ws, 'agent');
    const auditor = await t.user(ws, 'auditor');
    const presence = async () =>
      Object.fromEntries(
        ((await owner.get('/api/routing/presence')).json().items as { userId: string; presence: string }[]).map((i) => [
          i.userId,
          i.presence,
        ]),
      );
    const agentSocket = await open(`${base}/ws`, { cookie: agent.cookie });
    agentSocket.send({ t: 'hello', subs: {} });
    const reader = await open(`${base}/ws`, { cookie: auditor.cookie });
    reader.send({ t: 'hello', subs: {} });
    await expect.poll(presence).toMatchObject({ [agent.actor.userId]: 'online' });
    const counted = await allTables(t.s).selectFrom('routing_agents').select(['user_id', 'connections']).execute();
    expect(counted).toEqual([{ user_id: agent.actor.userId, connections: 1 }]); // the auditor takes no seat
    reader.close();
    await new Promise((r) => setTimeout(r, 100));
    expect((await presence())[agent.actor.userId]).toBe('online');
    expect(await allTables(t.s).selectFrom('routing_agents').select(['user_id', 'connections']).execute()).toEqual([
      { user_id: agent.actor.userId, connections: 1 },
    ]);

    // The console asks for conversation summaries only when the inbox opens: a second hello.
    const session = await shopper(inbox.publicId);
    const shop = await open(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'c1', body: 'before the inbox' });
    const ack = await shop.next<Ack>((f) => f.t === 'ack');
    await new Promise((r) => setTimeout(r, 400)); // past a summary flush (250 ms)
    expect(agentSocket.frames.some((f) => f.t === 'conv')).toBe(false);
    agentSocket.send({ t: 'hello', subs: {}, inboxUpdates: true });
    await new Promise((r) => setTimeout(r, 100));
    shop.send({ t: 'send', cid: 'c2', conv: ack.conv, body: 'with the inbox open' });
    await agentSocket.next((f) => f.t === 'conv' && f.c.id === ack.conv);
  });
});
