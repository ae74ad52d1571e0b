/**
 * Two Kefu nodes on one PostgreSQL database and one Redis, in this process, with every bus
 * publish delayed by a random 0–40 ms (what `KEFU_FAULT=bus-delay` does to a process), so that
 * publishes of one conversation overtake each other as they can between nodes:
 * - every acknowledged message reaches every live subscriber, on both nodes, in seq order,
 *   without gaps or duplicates;
 * - every action that ends or narrows a session on one node takes access from an open /ws
 *   connection of that session on the other node within a second (security finding 1).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, Message, ServerFrame } from '../../shared/realtime/protocol.ts';
import { buildApp } from '../app.ts';
import { withPublishDelay } from '../lib/bus.ts';
import { createLogger } from '../lib/logger.ts';
import { closeServices, createServices, type AppServices } from '../services.ts';
import { claim } from '../lib/jobs/queue.ts';
import { shopperGoneJob, shopperGraceEnded } from '../modules/routing/index.ts';
import { allTables, pgUrl, redisUrl, testApp, testPassword, type Client, type TestApp } from '../testing/harness.ts';
import { connect, type TestSocket } from '../testing/ws-client.ts';

type Node = { app: FastifyInstance; ws: string };
const poll = { timeout: 15_000, interval: 100 };

describe.runIf(Boolean(pgUrl && redisUrl))('two nodes on PostgreSQL + Redis with delayed publishes', () => {
  let t: TestApp;
  let a: Node;
  let b: Node;
  let bServices: AppServices;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // With Redis the sign-in limit per address is shared by every test and run using it (all from
    // 127.0.0.1): not what this file is about.
    t = await testApp('postgres', { config: { redisUrl, loginRatePerMinute: 10_000 } });
    withPublishDelay(t.s.bus, 40);
    a = { app: t.app, ws: (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') };
    // Node B: its own services (bus connection, writer, gateway) on the same database and secret key.
    bServices = createServices(t.env.config, { pgSchema: t.env.pgSchema, log: createLogger('silent') });
    withPublishDelay(bServices.bus, 40);
    const appB = await buildApp(bServices, { serveConsole: false });
    await appB.ready();
    b = { app: appB, ws: (await appB.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') };
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await b?.app.close();
    if (bServices) await closeServices(bServices);
    await t?.close();
  });

  async function open(url: string, headers?: Record<string, string>) {
    const s = await connect(url, headers);
    sockets.push(s);
    await s.next((f) => f.t === 'welcome');
    return s;
  }
  async function inboxOf(owner: Client) {
    const r = await owner.post('/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { publicId: string };
  }
  async function shopperToken(publicId: string, visitorId: string) {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${publicId}/session`,
      payload: { visitorId, origin: 'https://shop.example.com' },
    });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { token: string }).token;
  }
  const msgs = (s: TestSocket, conv: string) =>
    s.frames.filter((f): f is { t: 'msg'; m: Message } => f.t === 'msg' && f.m.conv === conv).map((f) => f.m);

  it('delivers every acknowledged message to every live subscriber in seq order, across nodes', async () => {
    const { owner } = await t.workspace('two-nodes');
    const inbox = await inboxOf(owner);
    const shop = await open(`${a.ws}/ws?widget=${await shopperToken(inbox.publicId, 'two-node-visitor-000001')}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 's0', body: 'first' });
    const conv = (await shop.next<AckFrame>((f) => f.t === 'ack' && f.cid === 's0')).conv;
    await shop.next((f) => f.t === 'synced' && f.conv === conv);

    const agent = await open(`${b.ws}/ws`, { cookie: owner.cookie }); // sends from node B
    const watchA = await open(`${a.ws}/ws`, { cookie: owner.cookie }); // an agent's second tab on node A
    const watchB = await open(`${b.ws}/ws`, { cookie: owner.cookie });
    for (const s of [agent, watchA, watchB]) {
      s.send({ t: 'hello', subs: { [conv]: 0 } });
      await s.next((f) => f.t === 'synced' && f.conv === conv);
    }

    // Both sides at once, from both nodes, without waiting for acks.
    const n = 80;
    for (let i = 1; i <= n; i++) {
      shop.send({ t: 'send', cid: `s${i}`, conv, body: `shopper ${i}` });
      agent.send({ t: 'send', cid: `a${i}`, conv, kind: i % 10 === 0 ? 'note' : 'text', body: `agent ${i}` });
    }
    const acks = async (s: TestSocket, prefix: string) => {
      const out: AckFrame[] = [];
      for (let i = 1; i <= n; i++)
        out.push(
          await s.next<AckFrame>((f) => (f.t === 'ack' || f.t === 'error') && f.cid === `${prefix}${i}`, 20_000),
        );
      return out;
    };
    const [shopAcks, agentAcks] = await Promise.all([acks(shop, 's'), acks(agent, 'a')]);
    expect([...shopAcks, ...agentAcks].filter((f) => f.t !== 'ack')).toEqual([]);
    // Acks come in send order.
    expect(shopAcks.map((f) => f.cid)).toEqual(Array.from({ length: n }, (_, i) => `s${i + 1}`));
    const last = Math.max(...[...shopAcks, ...agentAcks].map((f) => f.seq));
    expect(last).toBe(2 * n + 1);

    // Every live subscriber got everything it may see, once, in seq order; the sender gets its ack, not an echo.
    const all = Array.from({ length: last }, (_, i) => i + 1);
    for (const watcher of [watchA, watchB]) {
      await expect.poll(() => msgs(watcher, conv).length, { timeout: 10_000 }).toBe(last);
      expect(msgs(watcher, conv).map((m) => m.seq)).toEqual(all);
    }
    const notes = new Set(agentAcks.filter((_, i) => (i + 1) % 10 === 0).map((f) => f.seq));
    const shopperSees = agentAcks.map((f) => f.seq).filter((seq) => !notes.has(seq));
    await expect.poll(() => msgs(shop, conv).length, { timeout: 10_000 }).toBe(shopperSees.length);
    expect(msgs(shop, conv).map((m) => m.seq)).toEqual(shopperSees);
    await expect.poll(() => msgs(agent, conv).length, { timeout: 10_000 }).toBe(n + 1);
    expect(msgs(agent, conv).map((m) => m.seq)).toEqual([1, ...shopAcks.map((f) => f.seq)]);
    // A shopper's frames say which seq came before among what it may see, so it can tell notes from losses.
    const shopFrames = shop.frames.filter((f): f is { t: 'msg'; m: Message; prev?: number } => f.t === 'msg');
    for (const f of shopFrames) expect(f.prev === undefined || f.prev < f.m.seq).toBe(true);
  }, 90_000);

  it("keeps a waiting chat queued while the shopper's other tab on the other node follows it", async () => {
    const { id: wsId, owner } = await t.workspace('two-node-tabs');
    // Nobody online, so the chat waits; grace 0: the abandonment check is due at once (claimed here).
    const rule = { enabled: true, defaultCapacityChat: 1, maxWaitSeconds: 600, graceSeconds: 0 };
    expect((await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: rule })).statusCode).toBe(200);
    const inbox = await inboxOf(owner);
    const token = await shopperToken(inbox.publicId, 'two-node-tabs-visitor-01');
    const tabA = await open(`${a.ws}/ws?widget=${token}`);
    tabA.send({ t: 'hello', subs: {} });
    tabA.send({ t: 'send', cid: 'q1', body: '有人吗' });
    const conv = (await tabA.next<AckFrame>((f) => f.t === 'ack' && f.cid === 'q1')).conv;
    await tabA.next((f) => f.t === 'queue' && f.conv === conv && f.position === 1, 15_000);
    const tabB = await open(`${b.ws}/ws?widget=${token}`);
    tabB.send({ t: 'hello', subs: { [conv]: 0 } });
    await tabB.next((f) => f.t === 'queue' && f.conv === conv && f.position === 1, 15_000);
    const item = () =>
      allTables(t.s).selectFrom('routing_items').selectAll().where('id', '=', conv).executeTakeFirstOrThrow();
    const goneJob = async () => {
      const mine = (j: { type: string; payload: unknown }) =>
        j.type === shopperGoneJob && (j.payload as { conversationId: string }).conversationId === conv;
      let found: { payload: unknown } | undefined;
      await expect
        .poll(async () => (found ??= (await claim(t.s.db, t.s.clock, 'test', 50, 60_000)).find(mine)), poll)
        .toBeDefined();
      return found!.payload as { conversationId: string; since: string };
    };

    // Tab A closes: node A has no connection left on the chat and starts the check; node B still
    // has tab B on it and says so over the bus, so the check ends without an abandonment.
    const seenBefore = (await item()).shopper_seen_at;
    tabA.close();
    const first = await goneJob();
    await expect.poll(async () => (await item()).shopper_seen_at, poll).not.toBe(seenBefore);
    expect((await item()).shopper_seen_at! >= first.since).toBe(true);
    expect(await shopperGraceEnded(t.s, wsId, first)).toBe(false);
    expect((await item()).state).toBe('queued');

    // Tab B closes too: nobody follows it any more, and the check abandons it.
    tabB.close();
    const second = await goneJob();
    expect(await shopperGraceEnded(t.s, wsId, second)).toBe(true);
    expect((await item()).left_as).toBe('abandoned');
  }, 90_000);

  describe('a session that ends or narrows on node A takes access from its socket on node B within a second', () => {
    type Setup = { owner: Client; user: Client; userId: string };
    const cases: [string, (x: Setup) => Promise<unknown>, number][] = [
      ['signing out', (x) => x.user.post('/api/auth/logout'), 4401],
      ['being disabled', (x) => x.owner.patch(`/api/users/${x.userId}`, { disabled: true }), 4401],
      ['a role change', (x) => x.owner.patch(`/api/users/${x.userId}`, { role: 'readonly' }), 4401],
      ['an admin password reset', (x) => x.owner.post(`/api/users/${x.userId}/reset-password`), 4401],
      [
        'changing the password',
        (x) =>
          x.user.post('/api/auth/password', {
            currentPassword: testPassword,
            newPassword: 'another-correct-horse-battery',
            revokeTokens: true,
          }),
        4401,
      ],
    ];
    it.each(cases)('%s', async (_name, act, code) => {
      const { id, owner } = await t.workspace(`sessions-${code}-${Math.random().toString(36).slice(2, 8)}`);
      const user = await t.user(id, 'agent');
      const socket = await open(`${b.ws}/ws`, { cookie: user.cookie });
      socket.send({ t: 'hello', subs: {} });
      const started = Date.now();
      const r = (await act({ owner, user, userId: user.actor.userId })) as { statusCode: number; body: string };
      expect(r.statusCode, r.body).toBeLessThan(300);
      const closed = await Promise.race([socket.closed, new Promise((r) => setTimeout(r, 3000, null))]);
      expect(closed).toMatchObject({ code });
      expect(Date.now() - started).toBeLessThan(1500); // within a second of the action (and its HTTP round trip)
    });

    it('switching workspace', async () => {
      const { owner } = await t.workspace(`switch-${Math.random().toString(36).slice(2, 8)}`, {
        installationOwner: true,
      });
      const other = await t.workspace(`other-${Math.random().toString(36).slice(2, 8)}`);
      const socket = await open(`${b.ws}/ws`, { cookie: owner.cookie });
      socket.send({ t: 'hello', subs: {} });
      const r = await owner.post('/api/auth/switch-workspace', { workspaceId: other.id });
      expect(r.statusCode, r.body).toBe(200);
      const closed = await Promise.race([socket.closed, new Promise((r) => setTimeout(r, 3000, null))]);
      expect(closed).toMatchObject({ code: 4401 });
    });

    it('an open socket refuses sends once its rights are gone, before the close', async () => {
      const { id, owner } = await t.workspace(`rights-${Math.random().toString(36).slice(2, 8)}`);
      const user = await t.user(id, 'agent');
      const inbox = await inboxOf(owner);
      const shop = await open(`${a.ws}/ws?widget=${await shopperToken(inbox.publicId, 'rights-visitor-00000001')}`);
      shop.send({ t: 'hello', subs: {} });
      shop.send({ t: 'send', cid: 'c1', body: 'hi' });
      const conv = (await shop.next<AckFrame>((f) => f.t === 'ack')).conv;
      const socket = await open(`${b.ws}/ws`, { cookie: user.cookie });
      socket.send({ t: 'hello', subs: { [conv]: 0 } });
      await socket.next((f) => f.t === 'synced');
      await owner.patch(`/api/users/${user.actor.userId}`, { disabled: true });
      await socket.closed;
      // Nothing more reached it after the close, and a new connection with that cookie is refused.
      shop.send({ t: 'send', cid: 'c2', conv, body: 'after the disable' });
      await shop.next((f) => f.t === 'ack' && f.cid === 'c2');
      expect(socket.frames.some((f: ServerFrame) => f.t === 'msg' && f.m.body === 'after the disable')).toBe(false);
      await expect(connect(`${b.ws}/ws`, { cookie: user.cookie })).rejects.toMatchObject({ status: 401 });
    });
  });
});
