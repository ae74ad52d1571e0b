/**
 * Routing on both engines through the real listeners and routes: arrivals fill agents up to their
 * capacity and then queue in order; a resolution assigns the next at once; a VIP moves forward; a
 * skill nobody has waits with a reason and a warning; transfers respect presence and capacity; an
 * agent whose last connection closes keeps their chats for the grace period, then they go back to
 * the queue in their original order; bad input is refused with nothing changed.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { claim } from '../../lib/jobs/queue.ts';
import { allTables, engines, type Client, type TestApp } from '../../testing/harness.ts';
import { routingSetup } from './test-setup.ts';
import { agentConnected, agentDisconnected } from './index.ts';
import { withAssigner } from './assigner.ts';
import { graceEnded } from './presence.ts';
import { followAssignee } from './transfer.ts';

describe.each(engines)('routing on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup(rule: object = {}) {
    const r = await routingSetup(engine, rule);
    t = r.t;
    return r;
  }

  it('fills agents to capacity, queues the rest in order and assigns the next when a seat frees', async () => {
    const { owner, addAgent, arrive, item, assignee, resolve } = await setup();
    const a = await addAgent(1);
    const b = await addAgent(1);
    const c1 = await arrive();
    const c2 = await arrive();
    const c3 = await arrive();
    const c4 = await arrive();
    expect(new Set([await assignee(c1), await assignee(c2)])).toEqual(new Set([a.actor.userId, b.actor.userId]));
    expect((await item(c3)).state).toBe('queued');
    const room = (await owner.get('/api/routing/war-room')).json();
    expect(room.queue.length).toBe(2);
    expect(room.waiting.map((w: { id: string; position: number }) => [w.id, w.position])).toEqual([
      [c3, 1],
      [c4, 2],
    ]);
    expect(room.waiting[0].reason).toBe('capacity');
    // The first agent resolves: the oldest waiting conversation goes to them at once.
    const first = (await assignee(c1)) === a.actor.userId ? a : b;
    expect((await resolve(first, c1)).statusCode).toBe(200);
    expect(await assignee(c3)).toBe(first.actor.userId);
    expect((await item(c4)).state).toBe('queued');
    expect((await item(c1)).state).toBe('done');
    const after = (await owner.get('/api/routing/war-room')).json();
    expect(after.agents.map((x: { loadChat: number }) => x.loadChat)).toEqual([1, 1]);
    expect(after.queue.estimatedWaitSeconds).toBeGreaterThan(0);
  });

  it('moves a VIP forward and keeps a conversation needing a missing skill waiting with a warning', async () => {
    const { owner, addAgent, arrive, item, assignee, resolve, inbox } = await setup();
    const a = await addAgent(1);
    await arrive(); // takes the only seat
    const plain = await arrive();
    const vip = await arrive('vip');
    expect((await item(vip)).priority).toBeGreaterThan((await item(plain)).priority);
    const room = (await owner.get('/api/routing/war-room')).json();
    expect(room.waiting.map((w: { id: string }) => w.id)).toEqual([vip, plain]);
    // An inbox that needs Japanese: nobody speaks it.
    const r = await owner.request({
      method: 'PUT',
      url: `/api/routing/rules/${inbox.id}`,
      payload: { enabled: true, skills: ['日语'] },
    });
    expect(r.statusCode, r.body).toBe(200);
    const jp = await arrive();
    expect((await item(jp)).wait_reason).toBe('missing_skill');
    const warned = (await owner.get('/api/routing/war-room')).json().warnings;
    expect(warned).toMatchObject([{ reason: 'missing_skill', skills: ['日语'], inboxName: expect.any(String) }]);
    expect(JSON.stringify(warned)).not.toContain(inbox.id);
    const first = (
      await allTables(t.s)
        .selectFrom('routing_items')
        .select('id')
        .where('agent_id', '=', a.actor.userId)
        .executeTakeFirstOrThrow()
    ).id;
    await resolve(a, first);
    expect(await assignee(vip)).toBe(a.actor.userId);
    expect(await assignee(plain)).toBeNull();
  });

  it('transfers respect presence and capacity, and say why not', async () => {
    const { ws, owner, addAgent, arrive, assignee, item } = await setup();
    const a = await addAgent(2);
    const b = await addAgent(1);
    const c1 = await arrive();
    const c2 = await arrive();
    const c3 = await arrive();
    const owners = [await assignee(c1), await assignee(c2), await assignee(c3)];
    expect(owners.filter((o) => o === a.actor.userId).length).toBe(2);
    expect(owners.filter((o) => o === b.actor.userId).length).toBe(1);
    const offline = await t.user(ws, 'agent');
    const toOffline = await owner.post(`/api/routing/conversations/${c1}/transfer`, { agentId: offline.actor.userId });
    expect(toOffline.statusCode).toBe(409);
    expect(toOffline.json().error.code).toBe('agent_offline');
    // Everyone is full: a transfer from a to b is refused with the reason, nothing moves.
    const ofA = [c1, c2, c3][owners.indexOf(a.actor.userId)];
    const toFull = await owner.post(`/api/routing/conversations/${ofA}/transfer`, { agentId: b.actor.userId });
    expect(toFull.statusCode).toBe(409);
    expect(toFull.json().error.code).toBe('agent_full');
    expect(await assignee(ofA)).toBe(a.actor.userId);
    // b frees a seat (sets a capacity of 2): the transfer goes through, a's load falls.
    await owner.request({
      method: 'PUT',
      url: `/api/routing/agents/${b.actor.userId}`,
      payload: { capacityChat: 2, capacityTicket: 10, skills: [] },
    });
    const ok = await owner.post(`/api/routing/conversations/${ofA}/transfer`, {
      agentId: b.actor.userId,
      reason: '售后',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await assignee(ofA)).toBe(b.actor.userId);
    const loads = (await owner.get('/api/routing/war-room')).json().agents;
    expect(loads.map((x: { loadChat: number }) => x.loadChat).sort()).toEqual([1, 2]);
    const before = await item(c1);
    const bad = await owner.post(`/api/routing/conversations/${c1}/transfer`, {});
    expect(bad.statusCode).toBe(400);
    expect(await item(c1)).toEqual(before);
  });

  it('a manual change read before another node moved the conversation gives back no seat it no longer holds', async () => {
    const { ws, addAgent, arrive, item } = await setup();
    const a = await addAgent(3);
    const b = await addAgent(3);
    const c1 = await arrive();
    for (let i = 0; i < 3; i++) await arrive(); // each agent holds two
    const read = await item(c1); // what this node's listener read, before the move below
    const from = read.agent_id!;
    const to = from === a.actor.userId ? b.actor.userId : a.actor.userId;
    // Another node holds the assigner lock and moves c1 to the other agent (what a transfer does)...
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let moved!: () => void;
    const inLock = new Promise<void>((r) => (moved = r));
    const other = withAssigner(t.s, ws, async (s) => {
      const db = allTables(s);
      await db.updateTable('routing_agents').set({ load_chat: 1 }).where('user_id', '=', from).execute();
      await db.updateTable('routing_agents').set({ load_chat: 3 }).where('user_id', '=', to).execute();
      await db
        .updateTable('routing_items')
        .set({ agent_id: to, version: sql`version + 1` })
        .where('id', '=', c1)
        .execute();
      moved();
      await gate;
    });
    await inLock;
    // ...while this node follows an older event (someone unassigned c1 from its first agent).
    const following = followAssignee(t.s, ws, read, { from, to: null });
    await new Promise((r) => setTimeout(r, 100));
    release();
    await Promise.all([other, following]);
    const loads = await allTables(t.s)
      .selectFrom('routing_agents')
      .select(['user_id', 'load_chat'])
      .where('workspace_id', '=', ws)
      .execute();
    expect(Object.fromEntries(loads.map((l) => [l.user_id, l.load_chat]))).toEqual({ [from]: 1, [to]: 3 });
    expect(await item(c1)).toMatchObject({ state: 'assigned', agent_id: to });
  });

  it('an agent whose browser dies keeps their chats through the grace period, then they queue again in order', async () => {
    const { clock, ws, addAgent, arrive, item, assignee } = await setup();
    const a = await addAgent(3);
    const ids = [await arrive(), await arrive(), await arrive()];
    for (const id of ids) expect(await assignee(id)).toBe(a.actor.userId);
    await agentDisconnected(t.s, ws, a.actor.userId);
    // A reload inside the grace period changes nothing.
    clock.advance(2000);
    await agentConnected(t.s, ws, a.actor.userId);
    clock.advance(1000);
    await agentDisconnected(t.s, ws, a.actor.userId);
    clock.advance(31_000);
    const jobs = await claim(t.s.db, t.s.clock, 'test', 10, 60_000);
    const grace = jobs.filter((j) => j.type === 'routing.presence_grace');
    expect(grace.length).toBe(2);
    let requeued = 0;
    for (const j of grace) {
      const p = j.payload as { userId: string; since: string };
      requeued += await graceEnded(t.s, ws, p.userId, p.since);
    }
    expect(requeued).toBe(3); // only the job of the last disconnect acts
    for (const id of ids) expect((await item(id)).state).toBe('queued');
    for (const id of ids) expect(await assignee(id)).toBeNull();
    // A colleague comes online with two seats: the two oldest are theirs, the third keeps position 1.
    const b = await addAgent(2);
    expect(await assignee(ids[0])).toBe(b.actor.userId);
    expect(await assignee(ids[1])).toBe(b.actor.userId);
    expect((await item(ids[2])).state).toBe('queued');
  });

  it('presence is read per workspace: its members see their agents change state, another workspace sees none', async () => {
    const { ws, addAgent } = await setup();
    const a = await addAgent(2);
    const b = await addAgent(2);
    const auditor = await t.user(ws, 'auditor'); // the team page's least-privileged reader
    const presence = async (c: Client) => {
      const r = await c.get('/api/routing/presence');
      expect(r.statusCode, r.body).toBe(200);
      return Object.fromEntries(
        (r.json().items as { userId: string; presence: string }[]).map((i) => [i.userId, i.presence]),
      );
    };
    expect(await presence(auditor)).toMatchObject({ [a.actor.userId]: 'online', [b.actor.userId]: 'online' });
    expect(
      (await a.request({ method: 'PUT', url: '/api/routing/me/status', payload: { status: 'busy' } })).statusCode,
    ).toBe(200);
    expect(await presence(auditor)).toMatchObject({ [a.actor.userId]: 'busy', [b.actor.userId]: 'online' });
    const other = await t.workspace('other');
    const seen = await presence(other.owner);
    expect(seen[a.actor.userId]).toBeUndefined();
    expect(seen[b.actor.userId]).toBeUndefined();
    // A state that is not a choice changes nothing.
    const bad = await a.request({ method: 'PUT', url: '/api/routing/me/status', payload: { status: 'offline' } });
    expect(bad.statusCode).toBe(400);
    expect((await presence(auditor))[a.actor.userId]).toBe('busy');
  });

  it('refuses bad input with nothing changed', async () => {
    const { ws, owner, agents, addAgent } = await setup();
    const a = await addAgent(2);
    for (const capacityChat of [0, -1, 1.5]) {
      const r = await owner.request({
        method: 'PUT',
        url: `/api/routing/agents/${a.actor.userId}`,
        payload: { capacityChat, capacityTicket: 5, skills: [] },
      });
      expect(r.statusCode).toBe(400);
    }
    const room = (await owner.get('/api/routing/war-room')).json();
    expect(room.agents[0].capacityChat).toBe(2);
    const other = await t.workspace('other');
    const foreign = await other.owner.request({
      method: 'PUT',
      url: `/api/routing/agents/${a.actor.userId}`,
      payload: { capacityChat: 3, capacityTicket: 5, skills: [] },
    });
    expect(foreign.statusCode).toBe(404);
    const ruleBad = await owner.request({
      method: 'PUT',
      url: '/api/routing/rules/*',
      payload: { enabled: true, strategy: 'random' },
    });
    expect(ruleBad.statusCode).toBe(400);
    const agentPut = await agents[0].request({
      method: 'PUT',
      url: `/api/routing/agents/${a.actor.userId}`,
      payload: { capacityChat: 9, capacityTicket: 5, skills: [] },
    });
    expect(agentPut.statusCode).toBe(403);
    expect(ws).toBeTruthy();
  });
});
