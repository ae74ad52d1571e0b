/**
 * Assigning by hand respects capacity (both engines): a full agent is refused with the reason and
 * nothing changes; chats assigned by hand count towards the load; an agent cannot force it; a
 * supervisor can, explicitly; the presence list shows each agent's chats against their capacity.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, type TestApp } from '../../testing/harness.ts';
import { agentConnected } from './index.ts';
import { routingSetup } from './test-setup.ts';

describe.each(engines)('assignment by hand on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('refuses an agent beyond capacity unless a supervisor forces it', async () => {
    const r = await routingSetup(engine);
    t = r.t;
    const a = await r.addAgent(2);
    const c1 = await r.arrive(); // routed to A: 1 of 2
    expect(await r.assignee(c1)).toBe(a.actor.userId);
    const b = await r.addAgent(1);
    const c2 = await r.arrive(); // routed to B (least busy): B is full
    expect(await r.assignee(c2)).toBe(b.actor.userId);
    const c3 = await r.arrive(); // to A: 2 of 2
    const c4 = await r.arrive(); // everyone full: waits
    expect(await r.assignee(c3)).toBe(a.actor.userId);
    expect(await r.assignee(c4)).toBeNull();
    const patch = (who: typeof a, id: string, body: object) => who.patch(`/api/conversations/${id}`, body);

    // The owner hands c4 to A by hand: refused with the reason, nothing changed.
    const refused = await patch(r.owner, c4, { assigneeId: a.actor.userId });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'agent_full' });
    expect(refused.json().error.message).toContain('2/2');
    expect(await r.assignee(c4)).toBeNull();

    // A resolves c1: c4 (waiting) takes the seat; then a hand-assigned chat counts too.
    expect((await r.resolve(a, c1)).statusCode).toBe(200);
    expect(await r.assignee(c4)).toBe(a.actor.userId);
    // B gives c2 to A by hand: A has 2 of 2 already.
    expect((await patch(b, c2, { assigneeId: a.actor.userId })).statusCode).toBe(409);
    // An agent may not force it.
    const forcedByAgent = await patch(b, c2, { assigneeId: a.actor.userId, force: true });
    expect(forcedByAgent.statusCode).toBe(403);
    expect(await r.assignee(c2)).toBe(b.actor.userId);
    // A supervisor may, explicitly.
    const sup = await t.user(r.ws, 'supervisor');
    const forced = await patch(sup, c2, { assigneeId: a.actor.userId, force: true });
    expect(forced.statusCode, forced.body).toBe(200);
    expect(await r.assignee(c2)).toBe(a.actor.userId);
    expect((await r.item(c2)).state).toBe('manual');

    const presence = (await r.owner.get('/api/routing/presence')).json().items as {
      userId: string;
      chats: number;
      capacityChat: number;
    }[];
    const of = (id: string) => presence.find((p) => p.userId === id);
    expect(of(a.actor.userId)).toMatchObject({ chats: 3, capacityChat: 2 });
    expect(of(b.actor.userId)).toMatchObject({ chats: 0, capacityChat: 1 });
    // B has room again: a chat by hand to B is fine, and then B is full.
    const c5 = await r.arrive(); // routed to B
    expect(await r.assignee(c5)).toBe(b.actor.userId);
    const c6 = await r.arrive();
    expect((await patch(r.owner, c6, { assigneeId: b.actor.userId })).statusCode).toBe(409);
    expect((await patch(r.owner, c6, { force: 'yes' })).statusCode).toBe(400);
  });

  it("changes the capacity of agents who follow the workspace's default, not of those a supervisor set", async () => {
    const rule = { enabled: true, strategy: 'least_busy', graceSeconds: 30, defaultCapacityChat: 1 };
    const r = await routingSetup(engine, rule);
    t = r.t;
    const own = await r.addAgent(1); // set by hand
    const follower = await t.user(r.ws, 'agent');
    await agentConnected(t.s, r.ws, follower.actor.userId); // the default: 1
    await r.arrive();
    await r.arrive();
    const third = await r.arrive();
    expect(await r.assignee(third)).toBeNull(); // both full
    const put = await r.owner.request({
      method: 'PUT',
      url: '/api/routing/rules/*',
      payload: { ...rule, defaultCapacityChat: 3 },
    });
    expect(put.statusCode, put.body).toBe(200);
    // The follower has room at once and takes the waiting chat; the agent set by hand keeps 1.
    expect(await r.assignee(third)).toBe(follower.actor.userId);
    const presence = (await r.owner.get('/api/routing/presence')).json().items as {
      userId: string;
      capacityChat: number;
    }[];
    const capacity = (id: string) => presence.find((p) => p.userId === id)?.capacityChat;
    expect(capacity(follower.actor.userId)).toBe(3);
    expect(capacity(own.actor.userId)).toBe(1);
    // An inbox's rule does not change anyone's capacity.
    await r.owner.request({
      method: 'PUT',
      url: `/api/routing/rules/${r.inbox.id}`,
      payload: { ...rule, defaultCapacityChat: 9 },
    });
    const after = (await r.owner.get('/api/routing/presence')).json().items as {
      userId: string;
      capacityChat: number;
    }[];
    expect(after.find((p) => p.userId === follower.actor.userId)?.capacityChat).toBe(3);
  });
});
