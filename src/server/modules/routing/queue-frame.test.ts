/**
 * Waiting shoppers see their place over /ws (the `queue` frame): two shoppers write while nobody
 * is online; each is told their position; an agent (capacity 1) connects and takes the first, who
 * is told they no longer wait, and the second moves up to position 1. A shopper assigned at once
 * (an agent has room) is told position 0 without ever waiting. Every frame carries `changedAt`, the
 * server time of the change it reports. Each shopper's notice and maximum wait are their inbox's
 * rule's (the workspace's for an inbox without one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/realtime/protocol.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { connect, type TestSocket } from '../../testing/ws-client.ts';

type Queue = Extract<ServerFrame, { t: 'queue' }>;
type Ack = Extract<ServerFrame, { t: 'ack' }>;

describe.each(engines)('queue positions over /ws on %s', (engine) => {
  let t: TestApp;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  const setUp = async (capacity: number) => {
    t = await testApp(engine);
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const { owner } = await t.workspace('shop');
    const rule = { enabled: true, defaultCapacityChat: capacity, notice: '当前咨询量较大' };
    expect((await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: rule })).statusCode).toBe(200);
    const newInbox = async (name: string) =>
      (await owner.post('/api/inboxes', { name, settings: { allowedOrigins: ['https://shop.example.com'] } })).json();
    const inbox = await newInbox('Web');
    const open = async (url: string, headers?: Record<string, string>) => {
      const s = await connect(url, headers);
      sockets.push(s);
      await s.next((f) => f.t === 'welcome');
      return s;
    };
    const shopper = async (visitorId: string, body: string, box: { publicId: string } = inbox) => {
      const session = (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${box.publicId}/session`,
          payload: { visitorId, origin: 'https://shop.example.com' },
        })
      ).json();
      const s = await open(`${base}/ws?widget=${session.token}`);
      s.send({ t: 'hello', subs: {} });
      s.send({ t: 'send', cid: 'c1', body });
      const conv = (await s.next<Ack>((f) => f.t === 'ack', 30_000)).conv; // a loaded machine
      return { s, conv };
    };
    return { base, owner, open, shopper, newInbox };
  };

  it('tells each waiting shopper their position and when an agent takes them', async () => {
    const { base, owner, open, shopper } = await setUp(1);
    const first = await shopper('visitor-first-000000001', '我的快递到哪了');
    const second = await shopper('visitor-second-00000001', '想退货');
    const q2 = await second.s.next<Queue>((f) => f.t === 'queue' && f.conv === second.conv && f.position === 2, 10_000);
    expect(q2.notice).toBe('当前咨询量较大');
    expect(q2.changedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(q2.changedAt).toBeLessThanOrEqual(Date.now());
    expect(q2.maxWaitSeconds).toBe(300);
    await first.s.next<Queue>((f) => f.t === 'queue' && f.conv === first.conv && f.position === 1, 10_000);

    // The agent's console connects: they are online with one seat and take the oldest.
    const connectedAt = Date.now();
    await open(`${base}/ws`, { cookie: owner.cookie });
    const taken = await first.s.next<Queue>(
      (f) => f.t === 'queue' && f.conv === first.conv && f.position === 0,
      10_000,
    );
    expect(taken.changedAt).toBeGreaterThanOrEqual(connectedAt);
    await second.s.next<Queue>((f) => f.t === 'queue' && f.conv === second.conv && f.position === 1, 10_000);
    const conv = (await owner.get(`/api/conversations/${first.conv}`)).json();
    expect(conv.assigneeId).toBe(owner.actor.userId);
  });

  it('tells a shopper an agent has room for at once (position 0, never a place)', async () => {
    const { base, owner, open, shopper } = await setUp(5);
    await open(`${base}/ws`, { cookie: owner.cookie });
    await expect
      .poll(async () => (await owner.get('/api/routing/presence')).json().items?.[0]?.presence, { timeout: 10_000 })
      .toBe('online');
    const sentAt = Date.now();
    const one = await shopper('visitor-at-once-0000001', '在吗');
    const frames: Queue[] = [];
    const taken = await one.s.next<Queue>((f) => {
      if (f.t === 'queue') frames.push(f);
      return f.t === 'queue' && f.conv === one.conv && f.position === 0;
    }, 10_000);
    expect(frames.filter((f) => f.position > 0)).toEqual([]);
    expect(taken.changedAt).toBeGreaterThanOrEqual(sentAt);
    expect(taken.changedAt).toBeLessThanOrEqual(Date.now());
    expect((await owner.get(`/api/conversations/${one.conv}`)).json().assigneeId).toBe(owner.actor.userId);
  });

  it("gives each waiting shopper their own inbox's notice and maximum wait", async () => {
    const { owner, shopper, newInbox } = await setUp(1);
    const vip = await newInbox('VIP');
    const vipRule = { enabled: true, defaultCapacityChat: 1, notice: 'VIP 专线：专属客服马上就到', maxWaitSeconds: 45 };
    const put = await owner.request({ method: 'PUT', url: `/api/routing/rules/${vip.id}`, payload: vipRule });
    expect(put.statusCode, put.body).toBe(200);
    // Nobody online: both wait, one in the inbox without a rule (the workspace's) and one in VIP.
    const web = await shopper('visitor-web-inbox-00001', '我的快递到哪了');
    const special = await shopper('visitor-vip-inbox-00001', '想退货', vip);
    const waiting = (who: { s: TestSocket; conv: string }) =>
      who.s.next<Queue>((f) => f.t === 'queue' && f.conv === who.conv && f.position > 0, 10_000);
    const [qWeb, qVip] = await Promise.all([waiting(web), waiting(special)]);
    expect(qWeb).toMatchObject({ notice: '当前咨询量较大', maxWaitSeconds: 300 });
    expect(qVip).toMatchObject({ notice: vipRule.notice, maxWaitSeconds: 45 });
  });
});
