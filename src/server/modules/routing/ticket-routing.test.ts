/**
 * Tickets auto-assigned per group, and idle presence, on both engines: a routed group's tickets go
 * to its online members up to their ticket capacity (chat seats apart), an urgent one moves
 * forward, solving one assigns the next, another group's tickets are left alone, a ticket taken by
 * hand leaves routing's count; an agent without input in the console goes away (keeping their
 * work) and comes back at their next input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { agentConnected } from './index.ts';
import { idleTick } from './idle.ts';

describe.each(engines)('ticket routing and idle presence on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());
  const put = (c: Client, url: string, payload: object) => c.request({ method: 'PUT', url, payload });

  it('assigns a routed group’s tickets to its members within their ticket capacity, in order', async () => {
    t = await testApp(engine);
    const { id: ws, owner } = await t.workspace('tickets');
    const a = await t.user(ws, 'agent');
    const outsider = await t.user(ws, 'agent');
    const group = (await owner.post('/api/groups', { name: '售后组', memberIds: [a.actor.userId] })).json();
    const other = (await owner.post('/api/groups', { name: '物流组', memberIds: [outsider.actor.userId] })).json();
    const rule = await put(owner, '/api/routing/rules/*', { enabled: true, ticketGroups: [group.id] });
    expect(rule.statusCode, rule.body).toBe(200);
    for (const [who, capacityTicket] of [
      [a, 2],
      [outsider, 5],
    ] as const) {
      const r = await put(owner, `/api/routing/agents/${who.actor.userId}`, {
        capacityChat: 1,
        capacityTicket,
        skills: [],
      });
      expect(r.statusCode, r.body).toBe(200);
      await agentConnected(t.s, ws, who.actor.userId);
    }
    const ticket = async (subject: string, extra: object = {}) => {
      const r = await owner.post('/api/tickets', { subject, groupId: group.id, ...extra });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().id as string;
    };
    const assigneeOf = async (id: string) => (await owner.get(`/api/tickets/${id}`)).json().assigneeId;
    const t1 = await ticket('退货 1');
    const t2 = await ticket('退货 2');
    const t3 = await ticket('退货 3');
    const urgent = await ticket('退款没到账', { priority: 'urgent' });
    const elsewhere = await ticket('物流查询', { groupId: other.id });
    expect([await assigneeOf(t1), await assigneeOf(t2)]).toEqual([a.actor.userId, a.actor.userId]);
    expect(await assigneeOf(t3)).toBeNull();
    expect(await assigneeOf(urgent)).toBeNull();
    // Not a routed group: nobody is given it, though its member has room.
    expect(await assigneeOf(elsewhere)).toBeNull();
    const agents = allTables(t.s).selectFrom('routing_agents').selectAll();
    const row = await agents.where('user_id', '=', a.actor.userId).executeTakeFirstOrThrow();
    expect([row.load_ticket, row.load_chat]).toEqual([2, 0]);
    // Solving one frees a ticket seat: the urgent one (queued later) goes first.
    const fresh = (await owner.get(`/api/tickets/${t1}`)).json();
    const solved = await owner.patch(`/api/tickets/${t1}`, { version: fresh.version, status: 'solved' });
    expect(solved.statusCode, solved.body).toBe(200);
    expect(await assigneeOf(urgent)).toBe(a.actor.userId);
    expect(await assigneeOf(t3)).toBeNull();
    // Taken by hand: out of routing's count (the agent's seat stays full with t2 and urgent).
    const t3v = (await owner.get(`/api/tickets/${t3}`)).json();
    await owner.patch(`/api/tickets/${t3}`, { version: t3v.version, assigneeId: outsider.actor.userId });
    const item = await allTables(t.s)
      .selectFrom('routing_items')
      .selectAll()
      .where('id', '=', t3)
      .executeTakeFirstOrThrow();
    expect([item.state, item.agent_id, item.kind]).toEqual(['manual', outsider.actor.userId, 'ticket']);
    const after = await agents.where('user_id', '=', outsider.actor.userId).executeTakeFirstOrThrow();
    expect(after.load_ticket).toBe(0);
  });

  it('sets an idle agent away, keeping their work, and back at their next input', async () => {
    const clock = manualClock('2026-11-11T02:00:00Z');
    t = await testApp(engine, { clock });
    const { id: ws, owner } = await t.workspace('idle');
    const rule = await put(owner, '/api/routing/rules/*', { enabled: true, awayAfterMinutes: 5 });
    expect(rule.statusCode, rule.body).toBe(200);
    const a = await t.user(ws, 'agent');
    const b = await t.user(ws, 'agent');
    await agentConnected(t.s, ws, a.actor.userId);
    await agentConnected(t.s, ws, b.actor.userId);
    const presence = async (who: Client) =>
      (
        await allTables(t.s)
          .selectFrom('routing_agents')
          .select(['presence', 'status', 'auto_away'])
          .where('user_id', '=', who.actor.userId)
          .executeTakeFirstOrThrow()
      ).presence;
    clock.advance(3 * 60_000);
    expect((await b.post('/api/routing/me/activity', {})).json()).toEqual({ presence: 'online' });
    clock.advance(3 * 60_000);
    expect(await idleTick(t.s)).toBe(1);
    expect([await presence(a), await presence(b)]).toEqual(['away', 'online']);
    const room = (await owner.get('/api/routing/war-room')).json();
    expect(room.agents.find((x: { userId: string }) => x.userId === a.actor.userId)).toMatchObject({
      status: 'online',
      presence: 'away',
    });
    // Their next input: back to the status they chose; the tick leaves them alone until idle again.
    expect((await a.post('/api/routing/me/activity', {})).json()).toEqual({ presence: 'online' });
    expect(await idleTick(t.s)).toBe(0);
    // Bad input: the activity report takes no fields.
    expect((await a.post('/api/routing/me/activity', { presence: 'online' })).statusCode).toBe(400);
    const events = (await owner.get('/api/audit?action=routing.presence_changed&limit=20')).json().items;
    expect(events.some((e: { data: { to: string } }) => e.data.to === 'away')).toBe(true);
  });
});
