/**
 * The war room lists (and counts) chats given to an agent that no agent has answered yet, with how
 * long the shopper has waited and how long the agent has had it, longest wait first; a supervisor
 * reassigns one with the transfer the war room's picker sends. An internal note is no answer; a
 * public reply takes the chat off the list. Both engines, through the real routes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, type TestApp } from '../../testing/harness.ts';
import { routingSetup } from './test-setup.ts';

type Row = { id: string; agentId: string; agentName: string | null; waitSeconds: number; assignedSeconds: number };

describe.each(engines)('war room: assigned but unanswered on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('shows and counts assigned chats without a human reply, and a supervisor reassigns one', async () => {
    const r = await routingSetup(engine);
    t = r.t;
    const a = await r.addAgent(2);
    const c1 = await r.arrive();
    const c2 = await r.arrive();
    r.clock.advance(20_000);
    const b = await r.addAgent(2);
    const c3 = await r.arrive();
    expect([await r.assignee(c1), await r.assignee(c2), await r.assignee(c3)]).toEqual([
      a.actor.userId,
      a.actor.userId,
      b.actor.userId,
    ]);
    const say = (who: typeof a, id: string, n: string, kind: 'text' | 'note' = 'text') =>
      who.post(`/api/conversations/${id}/messages`, { clientId: n, kind, body: '您好，我来帮您看看' });
    r.clock.advance(5_000);
    expect((await say(a, c1, 'r1')).statusCode).toBe(200); // answered
    expect((await say(a, c2, 'n1', 'note')).statusCode).toBe(200); // a note is no answer
    r.clock.advance(10_000);

    const room = async () => (await r.owner.get('/api/routing/war-room')).json();
    let w = await room();
    expect(w.unansweredCount).toBe(2);
    // c2 arrived first (waited 36 s, with a since 36 s); c3 waited 15 s, with b since 15 s.
    expect(w.unanswered.map((x: Row) => [x.id, x.agentId, x.waitSeconds, x.assignedSeconds])).toEqual([
      [c2, a.actor.userId, 36, 36],
      [c3, b.actor.userId, 15, 15],
    ]);
    expect(w.unanswered[0].agentName).toBeTruthy();
    expect(w.unanswered[0].inboxName).toBe('Web');

    // The supervisor gives c2 to b (who has a seat): it stays unanswered, now with b, since now.
    const moved = await r.owner.post(`/api/routing/conversations/${c2}/transfer`, { agentId: b.actor.userId });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await r.assignee(c2)).toBe(b.actor.userId);
    r.clock.advance(3_000);
    w = await room();
    expect(w.unanswered.map((x: Row) => [x.id, x.agentId, x.waitSeconds, x.assignedSeconds])).toEqual([
      [c2, b.actor.userId, 39, 3],
      [c3, b.actor.userId, 18, 18],
    ]);
    // b is full now: reassigning c3 to b is refused with the reason, nothing changed.
    const same = await r.owner.post(`/api/routing/conversations/${c3}/transfer`, { agentId: b.actor.userId });
    expect(same.statusCode).toBe(409);
    expect(same.json().error.code).toBe('same_agent');
    const full = await r.owner.post(`/api/routing/conversations/${c1}/transfer`, { agentId: b.actor.userId });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('agent_full');
    expect(await r.assignee(c1)).toBe(a.actor.userId);

    // b answers both: the list is empty.
    expect((await say(b, c2, 'r2')).statusCode).toBe(200);
    expect((await say(b, c3, 'r3')).statusCode).toBe(200);
    w = await room();
    expect(w.unansweredCount).toBe(0);
    expect(w.unanswered).toEqual([]);
  });
});
