/**
 * A transfer to a group (both engines, real routes, listeners and jobs): the conversation goes to
 * the group's queue and to a member with room; the agent who had it is notified, so are the group's
 * members; an internal note in the thread records who moved it where and why; the messages before
 * it stay. Without room in the group it waits for the group in its old place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { registerJobs } from '../../main.ts';
import { allTables, engines, type TestApp } from '../../testing/harness.ts';
import { routingSetup } from './test-setup.ts';

describe.each(engines)('transfer to a group on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('queues for the group, tells both sides and notes it in the thread', async () => {
    const r = await routingSetup(engine);
    t = r.t;
    const a = await r.addAgent(1);
    const c1 = await r.arrive();
    expect(await r.assignee(c1)).toBe(a.actor.userId);
    expect(
      (await a.post(`/api/conversations/${c1}/messages`, { clientId: 'm1', body: '您好，我来看看' })).statusCode,
    ).toBe(200);
    const b = await r.addAgent(1);
    const c2 = await r.arrive(); // takes B's only seat
    expect(await r.assignee(c2)).toBe(b.actor.userId);
    const group = (await r.owner.post('/api/groups', { name: '售后组', memberIds: [b.actor.userId] })).json();

    const moved = await r.owner.post(`/api/routing/conversations/${c1}/transfer`, {
      groupId: group.id,
      reason: '退款问题',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    // B is full: c1 waits for the group, keeping its arrival; A's seat is free.
    const item = await r.item(c1);
    expect(item).toMatchObject({ state: 'queued', group_id: group.id, agent_id: null });
    expect(await r.assignee(c1)).toBeNull();
    const loads = await allTables(t.s).selectFrom('routing_agents').select(['user_id', 'load_chat']).execute();
    expect(Object.fromEntries(loads.map((l) => [l.user_id, l.load_chat]))).toEqual({
      [a.actor.userId]: 0,
      [b.actor.userId]: 1,
    });
    // A new chat goes to A (who has room), not ahead of c1 for the group.
    const c3 = await r.arrive();
    expect(await r.assignee(c3)).toBe(a.actor.userId);
    // B resolves c2: c1 goes to B, the group's member.
    expect((await r.resolve(b, c2)).statusCode).toBe(200);
    expect(await r.assignee(c1)).toBe(b.actor.userId);

    const notes = await allTables(t.s)
      .selectFrom('notifications')
      .select(['user_id', 'type', 'data'])
      .where('type', 'in', ['conversation.transferred', 'conversation.group_transfer'])
      .execute();
    expect(notes.map((n) => [n.user_id, n.type]).sort()).toEqual(
      [
        [a.actor.userId, 'conversation.transferred'],
        [b.actor.userId, 'conversation.group_transfer'],
      ].sort(),
    );
    // Both sides' notices carry what the bell words ("{by} transferred … to {toGroup}"), the reason and the link's subject.
    for (const n of notes)
      expect(JSON.parse(n.data)).toMatchObject({
        by: expect.stringContaining('Owner'),
        toGroup: '售后组',
        toAgent: null,
        reason: '退款问题',
        subject: { type: 'conversation', id: c1 },
      });

    const worker = new JobWorker({ db: t.s.db, clock: r.clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    while ((await worker.tick()) > 0);
    const thread = (await r.owner.get(`/api/conversations/${c1}/messages`)).json().items as {
      kind: string;
      body: string;
      sender: { type: string };
    }[];
    expect(thread.map((m) => m.body)).toContain('您好，我来看看');
    const note = thread.find((m) => m.sender.type === 'system' && m.kind === 'note');
    expect(note?.body).toContain('售后组');
    expect(note?.body).toContain('退款问题');
    // The shopper is told where the chat went (a system line the widget shows), without the reason.
    const told = thread.filter((m) => m.sender.type === 'system' && m.kind === 'system');
    expect(told.map((m) => m.body)).toEqual(['您的会话已转接至「售后组」，请稍候。']);
    // Run again: the note and the shopper's line are posted once.
    while ((await worker.tick()) > 0);
    const again = (await r.owner.get(`/api/conversations/${c1}/messages`)).json().items as { kind: string }[];
    expect(again.filter((m) => m.kind === 'note')).toHaveLength(1);
    expect(again.filter((m) => m.kind === 'system')).toHaveLength(1);
  });

  it("tells an English-speaking shopper the receiving agent's public name, or only that it is another agent", async () => {
    const r = await routingSetup(engine);
    t = r.t;
    const a = await r.addAgent(2);
    const english = (customerId: string) =>
      allTables(t.s)
        .insertInto('shopper_context')
        .values({
          customer_id: customerId,
          workspace_id: r.ws,
          page_url: null,
          page_title: null,
          referrer: null,
          device: null,
          browser: null,
          os: null,
          time_zone: null,
          language: 'en-US',
          city: null,
          updated_at: new Date().toISOString(),
        })
        .execute();
    const c1 = await r.arrive(undefined, english);
    const c2 = await r.arrive(undefined, english);
    expect(await r.assignee(c1)).toBe(a.actor.userId);
    const named = await r.addAgent(1);
    const plain = await r.addAgent(1);
    await allTables(t.s)
      .updateTable('users')
      .set({ display_name: 'Lily' })
      .where('id', '=', named.actor.userId)
      .execute();
    await allTables(t.s)
      .updateTable('users')
      .set({ display_name: null })
      .where('id', '=', plain.actor.userId)
      .execute();
    for (const [conv, to] of [
      [c1, named],
      [c2, plain],
    ] as const) {
      const moved = await r.owner.post(`/api/routing/conversations/${conv}/transfer`, { agentId: to.actor.userId });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    const worker = new JobWorker({ db: t.s.db, clock: r.clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    while ((await worker.tick()) > 0);
    const told = async (conv: string) =>
      ((await r.owner.get(`/api/conversations/${conv}/messages`)).json().items as { kind: string; body: string }[])
        .filter((m) => m.kind === 'system')
        .map((m) => m.body);
    expect(await told(c1)).toEqual(['Your chat was transferred to Lily. Please hold on.']);
    expect(await told(c2)).toEqual(['Your chat was transferred to another agent. Please hold on.']);
  });

  it("refuses a transfer to another workspace's group or to nobody, nothing changed", async () => {
    const r = await routingSetup(engine);
    t = r.t;
    const a = await r.addAgent(1);
    const c1 = await r.arrive();
    const other = await t.workspace('other');
    const theirs = (await other.owner.post('/api/groups', { name: 'X' })).json();
    const url = `/api/routing/conversations/${c1}/transfer`;
    expect((await r.owner.post(url, { groupId: theirs.id })).statusCode).toBe(404);
    expect((await r.owner.post(url, {})).statusCode).toBe(400);
    expect((await r.owner.post(url, { groupId: theirs.id, agentId: a.actor.userId })).statusCode).toBe(400);
    expect(await r.assignee(c1)).toBe(a.actor.userId);
    expect(
      await allTables(t.s).selectFrom('notifications').select('id').where('type', 'like', '%transfer%').execute(),
    ).toEqual([]);
  });
});
