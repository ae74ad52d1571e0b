/**
 * Leaving the queue without an agent, through the real paths (widget sockets on /ws, the widget's
 * HTTP offline-message route, the abandonment job): nobody is online, four shoppers wait. The first
 * leaves a message → their chat leaves the queue, becomes a ticket, and everyone behind moves up
 * (told over their sockets); the second asks for a callback → a ticket tagged `callback`, the phone
 * on the customer's profile, out of the queue; the third closes the widget and the grace period
 * passes → abandoned (out of the queue, counted by the war room's service level); the fourth reloads
 * (closes and comes back within the grace) → keeps their place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/realtime/protocol.ts';
import { claim } from '../../lib/jobs/queue.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { connect, type TestSocket } from '../../testing/ws-client.ts';
import { shopperGoneJob, shopperGraceEnded } from './leave.ts';

type Queue = Extract<ServerFrame, { t: 'queue' }>;
type Ack = Extract<ServerFrame, { t: 'ack' }>;
const poll = { timeout: 20_000, interval: 100 };

describe.each(engines)('leaving the queue on %s', (engine) => {
  let t: TestApp;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  it('a message, a callback and an abandoned widget leave the queue; a reload keeps its place', async () => {
    t = await testApp(engine);
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const { id: ws, owner } = await t.workspace('shop');
    // graceSeconds 0: the abandonment job is due at once (the test claims it; no worker runs here).
    const rule = { enabled: true, defaultCapacityChat: 1, maxWaitSeconds: 10, graceSeconds: 0 };
    expect((await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: rule })).statusCode).toBe(200);
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const open = async (token: string) => {
      const s = await connect(`${base}/ws?widget=${token}`);
      sockets.push(s);
      await s.next((f) => f.t === 'welcome', 15_000);
      return s;
    };
    const shopper = async (visitorId: string, body: string) => {
      const session = (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inbox.publicId}/session`,
          payload: { visitorId, origin: 'https://shop.example.com' },
        })
      ).json();
      const s = await open(session.token as string);
      s.send({ t: 'hello', subs: {} });
      s.send({ t: 'send', cid: 'c1', body });
      const conv = (await s.next<Ack>((f) => f.t === 'ack', 30_000)).conv;
      return { s, conv, token: session.token as string, customerId: session.customerId as string };
    };
    const at = (who: { s: TestSocket; conv: string }, position: number) =>
      who.s.next<Queue>((f) => f.t === 'queue' && f.conv === who.conv && f.position === position, 15_000);
    const item = (id: string) =>
      allTables(t.s).selectFrom('routing_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const ticketOf = async (conv: string) =>
      (await allTables(t.s).selectFrom('tickets').selectAll().where('conversation_id', '=', conv).execute())[0];
    const offline = (who: { token: string }, body: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/offline-message`,
        headers: { authorization: `Widget ${who.token}` },
        payload: body,
      });

    const a = await shopper('visitor-leave-msg-000001', '我的快递到哪了');
    const b = await shopper('visitor-callback-0000001', '想退货');
    const c = await shopper('visitor-abandon-00000001', '发票怎么开');
    const d = await shopper('visitor-reload-000000001', '有优惠吗');
    await at(d, 4);

    // 1. A leaves a message: out of the queue (told position 0), a ticket, the others move up live.
    const m = await offline(a, { contact: 'a@example.com', body: '等太久了，请回邮件：快递单号 SF123' });
    expect(m.statusCode, m.body).toBe(200);
    await at(a, 0);
    await at(b, 1);
    await at(d, 3);
    await expect.poll(async () => (await item(a.conv)).left_as, poll).toBe('message');
    expect((await item(a.conv)).state).toBe('done');
    await expect.poll(async () => (await ticketOf(a.conv))?.subject, poll).toContain('等太久了');
    expect(JSON.parse((await ticketOf(a.conv)).tags as string)).toEqual(['offline']);

    // 2. B asks for a callback: the phone lands on their profile, a ticket tagged callback, out of the queue.
    const cb = await offline(b, {
      contact: '13800138000',
      body: '【回电请求】请尽快回电。\n下午三点后',
      callback: true,
    });
    expect(cb.statusCode, cb.body).toBe(200);
    await at(c, 1);
    await at(d, 2);
    await expect.poll(async () => (await item(b.conv)).left_as, poll).toBe('callback');
    await expect.poll(async () => (await ticketOf(b.conv))?.tags, poll).toBe(JSON.stringify(['offline', 'callback']));
    expect((await ticketOf(b.conv)).subject).toBe('【回电请求】请尽快回电。');
    const profile = (await owner.get(`/api/customers/${b.customerId}`)).json();
    expect(JSON.stringify(profile)).toContain('13800138000'); // the owner reads PII unmasked

    // 3. C closes the widget; the grace period (0 s here) ends without them: abandoned.
    c.s.close();
    const gone = async () =>
      (await claim(t.s.db, t.s.clock, 'test', 10, 60_000)).filter((j) => j.type === shopperGoneJob);
    let jobs: Awaited<ReturnType<typeof gone>> = [];
    await expect.poll(async () => (jobs = [...jobs, ...(await gone())]).length, poll).toBe(1);
    expect(jobs[0].payload).toMatchObject({ conversationId: c.conv });
    expect(await shopperGraceEnded(t.s, ws, jobs[0].payload as never)).toBe(true);
    await at(d, 1);
    expect((await item(c.conv)).left_as).toBe('abandoned');

    // 4. D reloads: the socket closes, a new one subscribes before the grace check runs: D stays.
    d.s.close();
    let dJobs: Awaited<ReturnType<typeof gone>> = [];
    await expect.poll(async () => (dJobs = [...dJobs, ...(await gone())]).length, poll).toBe(1);
    const again = await open(d.token);
    again.send({ t: 'hello', subs: { [d.conv]: 0 } });
    await again.next<Queue>((f) => f.t === 'queue' && f.conv === d.conv && f.position === 1, 15_000);
    await expect.poll(async () => (await item(d.conv)).shopper_seen_at, poll).not.toBeNull();
    expect(await shopperGraceEnded(t.s, ws, dJobs[0].payload as never)).toBe(false);
    expect((await item(d.conv)).state).toBe('queued');

    // The war room: one waiting; the abandoned chat counts against the service level (the others are no misses yet).
    const room = (await owner.get('/api/routing/war-room')).json();
    expect(room.queue.length).toBe(1);
    expect(room.serviceLevel.today.abandoned).toBe(1);
    expect(room.serviceLevel.today.share).toBe(0);
  }, 120_000);
});
