/**
 * Sticky assignment through a real server on both engines: agents are online because their
 * consoles hold a socket (/ws with their session), and one shopper writes, is served, and comes
 * back over their own widget socket (their next message reopens the conversation). They go to the
 * agent who served them last while that agent is online, has room and served them within
 * `stickyMinutes`; otherwise the normal policy (least-busy) decides: the agent full, offline (their
 * socket closed and the grace period over), or the last service too long ago. Each case is set up
 * so that least-busy alone would pick the other agent, so a sticky that does nothing fails here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/realtime/protocol.ts';
import { claim } from '../../lib/jobs/queue.ts';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { connect, type TestSocket } from '../../testing/ws-client.ts';
import { graceEnded } from './presence.ts';

type Ack = Extract<ServerFrame, { t: 'ack' }>;
const poll = { timeout: 30_000, interval: 100 };

describe.each(engines)('sticky assignment over real sockets on %s', (engine) => {
  let t: TestApp;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  it('a returning shopper goes to their last agent when online with room and in time, else to least-busy', async () => {
    const clock = manualClock('2026-11-11T02:00:00Z');
    t = await testApp(engine, { clock });
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const { id: ws, owner } = await t.workspace('shop');
    const rule = { enabled: true, strategy: 'sticky', stickyMinutes: 60, graceSeconds: 30 };
    expect((await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: rule })).statusCode).toBe(200);
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const open = async (url: string, headers?: Record<string, string>) => {
      const s = await connect(url, headers);
      sockets.push(s);
      await s.next((f) => f.t === 'welcome', 15_000);
      return s;
    };
    const capacity = async (a: Client, n: number) => {
      const r = await owner.request({
        method: 'PUT',
        url: `/api/routing/agents/${a.actor.userId}`,
        payload: { capacityChat: n, capacityTicket: 10, skills: [] },
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    const presence = async () =>
      Object.fromEntries(
        ((await owner.get('/api/routing/war-room')).json().agents as { userId: string; presence: string }[]).map(
          (a) => [a.userId, a.presence],
        ),
      );
    // Two agents with four seats each, online through their consoles' sockets.
    const x = await t.user(ws, 'agent');
    const y = await t.user(ws, 'agent');
    const consoles = new Map<string, TestSocket>();
    for (const a of [x, y]) {
      await capacity(a, 4);
      consoles.set(a.actor.userId, await open(`${base}/ws`, { cookie: a.cookie }));
    }
    await expect.poll(presence, poll).toEqual({ [x.actor.userId]: 'online', [y.actor.userId]: 'online' });

    let n = 0;
    const shopper = async (visitorId: string) => {
      const session = (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inbox.publicId}/session`,
          payload: { visitorId, origin: 'https://shop.example.com' },
        })
      ).json();
      const s = await open(`${base}/ws?widget=${session.token}`);
      s.send({ t: 'hello', subs: {} });
      const write = async (body: string) => {
        const cid = `c${++n}`;
        clock.advance(1000);
        s.send({ t: 'send', cid, body });
        return (await s.next<Ack>((f) => f.t === 'ack' && f.cid === cid, 15_000)).conv;
      };
      return { write };
    };
    const assignee = async (conv: string) => (await owner.get(`/api/conversations/${conv}`)).json().assigneeId;
    const assignedTo = (conv: string, who: Client) => expect.poll(() => assignee(conv), poll).toBe(who.actor.userId);
    const resolve = async (conv: string) =>
      expect((await owner.patch(`/api/conversations/${conv}`, { status: 'resolved' })).statusCode).toBe(200);
    /** The shopper's last service is X's again: a supervisor hands the conversation to X, and it is resolved. */
    const servedByX = async (conv: string) => {
      const r = await owner.patch(`/api/conversations/${conv}`, { assigneeId: x.actor.userId, force: true });
      expect(r.statusCode, r.body).toBe(200);
      await resolve(conv);
    };

    // The shopper's first visit: served by X, resolved.
    const returning = await shopper('visitor-returning-0000001');
    const conv = await returning.write('我上周买的茶叶到了吗？');
    await expect.poll(() => assignee(conv), poll).not.toBeNull();
    if ((await assignee(conv)) !== x.actor.userId) {
      await servedByX(conv);
    } else await resolve(conv);
    // Two other shoppers: one each, then Y's is resolved, so least-busy now prefers Y (0/4 against 1/4).
    const other1 = await (await shopper('visitor-other-00000000001')).write('在吗');
    const other2 = await (await shopper('visitor-other-00000000002')).write('发什么快递？');
    await expect.poll(() => assignee(other1), poll).not.toBeNull();
    await expect.poll(() => assignee(other2), poll).not.toBeNull();
    const [ofX, ofY] = (await assignee(other1)) === x.actor.userId ? [other1, other2] : [other2, other1];
    await assignedTo(ofX, x);
    await assignedTo(ofY, y);
    await resolve(ofY);

    // 1. X online, with room (1/4), served them 1 minute ago: X, though least-busy would pick Y.
    clock.advance(60_000);
    expect(await returning.write('还有一个问题')).toBe(conv);
    await assignedTo(conv, x);
    await resolve(conv);

    // 2. X full (capacity 1, holding ofX): least-busy gives Y.
    await capacity(x, 1);
    await returning.write('再问一下发票');
    await assignedTo(conv, y);
    await servedByX(conv);
    await capacity(x, 4);

    // 3. X offline: their console closes and the grace period passes; their chat goes to Y, and so does the shopper.
    consoles.get(x.actor.userId)!.close();
    const connections = async () =>
      (
        await allTables(t.s)
          .selectFrom('routing_agents')
          .select('connections')
          .where('user_id', '=', x.actor.userId)
          .executeTakeFirstOrThrow()
      ).connections;
    await expect.poll(connections, poll).toBe(0);
    clock.advance(31_000);
    const grace = (await claim(t.s.db, t.s.clock, 'test', 10, 60_000)).filter(
      (j) => j.type === 'routing.presence_grace',
    );
    expect(grace).toHaveLength(1);
    const p = grace[0].payload as { userId: string; since: string };
    expect(await graceEnded(t.s, ws, p.userId, p.since)).toBe(1);
    expect((await presence())[x.actor.userId]).toBe('offline');
    await assignedTo(ofX, y);
    await returning.write('物流单号是多少？');
    await assignedTo(conv, y);

    // X comes back; the shopper's last service is X's again.
    consoles.set(x.actor.userId, await open(`${base}/ws`, { cookie: x.cookie }));
    await expect.poll(async () => (await presence())[x.actor.userId], poll).toBe('online');
    await servedByX(conv);
    // X 0/4 would win least-busy against Y (1/4 with ofX): X takes a new shopper's chat, and Y gets ten seats.
    const other3 = await (await shopper('visitor-other-00000000003')).write('包装可以送礼吗？');
    await assignedTo(other3, x);
    await capacity(y, 10);

    // 4. Within the window X (1/4) would win by sticky; 61 minutes later it is too long ago: least-busy gives Y (1/10).
    clock.advance(61 * 60_000);
    await returning.write('我又来了');
    await assignedTo(conv, y);
  }, 180_000);
});
