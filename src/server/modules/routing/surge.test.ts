/**
 * Surge mode: the decision (by hand, schedule, promotion calendar, queue length with hysteresis),
 * and on both engines through the routes and listeners: the queue turns it on and off (audited,
 * on the war room), waiting shoppers get the surge notice, a deferred inbox waits behind the
 * others, the bot answers first in an inbox whose mode would keep it silent, bad settings are
 * refused with nothing changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../../shared/bot-api.ts';
import { SurgeSettings } from '../../../shared/routing-api.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { agentConnected, queueSnapshot } from './index.ts';
import { decideSurge, evaluateSurge, surgeTick } from './surge.ts';

const at = Date.parse('2026-11-11T02:00:00Z');
const off = { active: false, reason: null };

describe('the surge decision', () => {
  const base = SurgeSettings.parse({ promotions: false });
  it('by hand wins over everything', () => {
    expect(decideSurge({ ...base, mode: 'on' }, at, 0, off, []).active).toBe(true);
    expect(decideSurge({ ...base, mode: 'off', queueAbove: 1 }, at, 100, off, []).active).toBe(false);
  });
  it('inside a schedule window or a promotion of the calendar', () => {
    const w = { start: '2026-11-11T00:00:00+08:00', end: '2026-11-12T00:00:00+08:00' };
    expect(decideSurge({ ...base, schedule: [w] }, at, 0, off, [])).toMatchObject({ active: true, reason: 'schedule' });
    expect(decideSurge({ ...base, schedule: [w] }, Date.parse('2026-11-12T01:00:00Z'), 0, off, []).active).toBe(false);
    const double11 = [{ name: '双11', start: at - 1000, end: at + 1000 }];
    expect(decideSurge(base, at, 0, off, double11).active).toBe(false); // the calendar is not followed
    expect(decideSurge({ ...base, promotions: true }, at, 0, off, double11)).toEqual({
      active: true,
      reason: 'promotion',
      promotion: '双11',
    });
  });
  it('above a queue length, off again only at the lower mark (hysteresis)', () => {
    const s = { ...base, queueAbove: 10, queueBelow: 4 };
    expect(decideSurge(s, at, 9, off, []).active).toBe(false);
    const on = decideSurge(s, at, 10, off, []);
    expect(on).toMatchObject({ active: true, reason: 'queue' });
    expect(decideSurge(s, at, 5, on, []).active).toBe(true); // between the marks: stays on
    expect(decideSurge(s, at, 5, off, []).active).toBe(false); // between the marks: stays off
    expect(decideSurge(s, at, 4, on, []).active).toBe(false);
    // Without a lower mark: half the upper one.
    expect(decideSurge({ ...base, queueAbove: 10 }, at, 6, on, []).active).toBe(true);
    expect(decideSurge({ ...base, queueAbove: 10 }, at, 5, on, []).active).toBe(false);
  });
});

describe.each(engines)('surge mode on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());
  const put = (c: Client, url: string, payload: object) => c.request({ method: 'PUT', url, payload });

  async function setup() {
    t = await testApp(engine);
    const { id: ws, owner } = await t.workspace('surge');
    const inbox = async (name: string) =>
      (await owner.post('/api/inboxes', { name, settings: { allowedOrigins: ['https://shop.example.com'] } })).json();
    const main = await inbox('官网');
    const low = await inbox('留言板');
    const rule = await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: { enabled: true } });
    expect(rule.statusCode, rule.body).toBe(200);
    let n = 0;
    const arrive = async (box: { id: string; publicId: string }) => {
      const sess = (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${box.publicId}/session`,
          payload: { visitorId: `visitor-surge-${String(++n).padStart(8, '0')}`, origin: 'https://shop.example.com' },
        })
      ).json();
      const conv = (await conversationForCustomer(t.s, ws, box.id, sess.customerId, true))!;
      return { id: conv.id, customerId: sess.customerId as string };
    };
    const state = async (id: string) =>
      (
        await allTables(t.s)
          .selectFrom('routing_items')
          .select(['state', 'agent_id'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).state;
    return { ws, owner, main, low, arrive, state };
  }

  it('turns on above a queue length and off at the lower mark, tells shoppers, defers the low inbox, audits it', async () => {
    const { ws, owner, main, low, arrive, state } = await setup();
    const notices = async () => [...(await queueSnapshot(t.s, ws)).positions.values()].map((q) => q.terms.notice);
    // Bad settings: refused with the reason, nothing stored.
    const bad = await owner.request({
      method: 'PUT',
      url: '/api/routing/surge',
      payload: { queueAbove: 3, queueBelow: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('queueBelow');
    const badWindow = await owner.request({
      method: 'PUT',
      url: '/api/routing/surge',
      payload: { schedule: [{ start: '2026-11-11T00:00:00Z', end: '2026-11-10T00:00:00Z' }] },
    });
    expect(badWindow.statusCode).toBe(400);
    expect(await allTables(t.s).selectFrom('routing_surge').selectAll().execute()).toEqual([]);
    const agent = await t.user(ws, 'agent');
    expect(
      (
        await put(owner, `/api/routing/agents/${agent.actor.userId}`, {
          capacityChat: 1,
          capacityTicket: 5,
          skills: [],
        })
      ).statusCode,
    ).toBe(200);
    const notice = '双11咨询量较大，请稍候～';
    const saved = await owner.request({
      method: 'PUT',
      url: '/api/routing/surge',
      payload: { queueAbove: 3, queueBelow: 1, promotions: false, notice, deferInboxes: [low.id] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ active: false, deferInboxNames: ['留言板'] });

    // Nobody online: everything waits. The low inbox's shopper came first.
    const early = await arrive(low);
    const a = await arrive(main);
    const b = await arrive(main);
    expect(await notices()).toEqual(['', '', '']);
    expect(await evaluateSurge(t.s, ws)).toBe(true);
    const room = (await owner.get('/api/routing/war-room')).json();
    expect(room.surge).toMatchObject({ active: true, reason: 'queue', settings: { notice } });
    expect(await notices()).toEqual([notice, notice, notice]);
    const audit = (await owner.get('/api/audit?action=routing.surge_changed&limit=10')).json().items;
    expect(audit[0]).toMatchObject({ data: { active: true, reason: 'queue', queueLength: 3 } });

    // The agent comes online: the main inbox's shoppers are served before the earlier, deferred one.
    await agentConnected(t.s, ws, agent.actor.userId);
    expect(await state(a.id)).toBe('assigned');
    expect(await state(early.id)).toBe('queued');
    await agent.patch(`/api/conversations/${a.id}`, { status: 'resolved' });
    expect(await state(b.id)).toBe('assigned');
    // Two wait (the deferred one and b's follower): between the marks, surge stays on.
    await arrive(main);
    expect(await evaluateSurge(t.s, ws)).toBe(true);
    await agent.patch(`/api/conversations/${b.id}`, { status: 'resolved' });
    // One waits (the deferred one is still behind): at the lower mark surge goes off, once.
    expect(await evaluateSurge(t.s, ws)).toBe(false);
    await surgeTick(t.s);
    const changes = (await owner.get('/api/audit?action=routing.surge_changed&limit=10')).json().items;
    expect(changes.map((e: { data: { active: boolean } }) => e.data.active)).toEqual([false, true]);
    expect(await notices()).toEqual(['']);
    // By hand: on until set back (a supervisor's setting is audited too).
    expect((await put(owner, '/api/routing/surge', { mode: 'on' })).json()).toMatchObject({
      active: true,
      reason: 'manual',
    });
    const saves = (await owner.get('/api/audit?action=routing.surge_saved&limit=10')).json().items;
    expect(saves.length).toBe(2);
    // An agent may look but not change it.
    expect((await agent.get('/api/routing/surge')).json().active).toBe(true);
    expect(
      (await agent.request({ method: 'PUT', url: '/api/routing/surge', payload: { mode: 'off' } })).statusCode,
    ).toBe(403);
  });

  it('lets the bot answer first in an inbox whose mode keeps it silent otherwise, where routing takes it at once', async () => {
    const { ws, owner, main, arrive, state } = await setup();
    // Outside hours only: an inbox without business hours is always within them, so the bot is silent.
    const bot = await owner.request({
      method: 'PUT',
      url: `/api/bot/inboxes/${main.id}`,
      payload: { ...defaultBotSettings(), mode: 'outside_hours' },
    });
    expect(bot.statusCode, bot.body).toBe(200);
    const said = async (who: { id: string; customerId: string }, body: string) => {
      const ack = await postMessage(
        t.s,
        { type: 'customer', id: who.customerId, name: null, workspaceId: ws },
        who.id,
        { clientId: `c-${body}`, kind: 'text', body },
      );
      let outcome: string | undefined;
      await expect
        .poll(
          async () =>
            (outcome = (
              await allTables(t.s)
                .selectFrom('bot_turns')
                .select('outcome')
                .where('message_id', '=', ack.id)
                .executeTakeFirst()
            )?.outcome),
          { timeout: 10_000, interval: 20 },
        )
        .not.toMatch(/^(pending)?$/);
      return outcome;
    };
    const quiet = await arrive(main);
    expect(await said(quiet, '你好，在吗')).toBe('silent');
    // The bot stays silent there, so people take it at once: it waits in routing's queue (no agent
    // is online), instead of waiting for a hand-off that never comes.
    expect(await state(quiet.id)).toBe('queued');
    expect((await put(owner, '/api/routing/surge', { mode: 'on' })).statusCode).toBe(200);
    const busy = await arrive(main);
    expect(await said(busy, '你好，在吗？')).not.toBe('silent');
    // While the bot answers first, the conversation joins the queue only at its hand-off.
    expect(
      await allTables(t.s).selectFrom('routing_items').select('id').where('id', '=', busy.id).executeTakeFirst(),
    ).toBeUndefined();
  });
});
