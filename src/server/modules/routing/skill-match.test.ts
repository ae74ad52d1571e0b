/**
 * Skill match through the real assigner (both engines): a chat needing a skill goes to the free
 * agent who matches best — the specialist (fewest skills beyond the need) before the generalist —
 * never to an agent without the skill; between equal specialists the least busy wins, and at equal
 * load the one whose last assignment is older. The generalist takes it once the specialists are full.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, type TestApp } from '../../testing/harness.ts';
import { routingSetup } from './test-setup.ts';

describe.each(engines)('skill match ordering on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('specialist first, then least busy, then longest idle; the generalist when specialists are full', async () => {
    const r = await routingSetup(engine, { strategy: 'skill_match', skills: ['售后'] });
    t = r.t;
    const generalist = await r.addAgent(5, ['售后', '中文', 'English']);
    const none = await r.addAgent(5, []);
    const s1 = await r.addAgent(5, ['售后']);
    const id = (c: { actor: { userId: string } }) => c.actor.userId;

    const c1 = await r.arrive();
    expect(await r.assignee(c1)).toBe(id(s1)); // the specialist, though all three are at 0 %
    const s2 = await r.addAgent(5, ['售后']);
    const c2 = await r.arrive();
    expect(await r.assignee(c2)).toBe(id(s2)); // equal skills: the less busy (0/5 against 1/5)
    const c3 = await r.arrive();
    expect(await r.assignee(c3)).toBe(id(s1)); // 1/5 each: S1's last assignment is the older
    const c4 = await r.arrive();
    expect(await r.assignee(c4)).toBe(id(s2));

    // Both specialists full (capacity 2, two chats each): the generalist, never the agent without the skill.
    for (const s of [s1, s2]) {
      const put = await r.owner.request({
        method: 'PUT',
        url: `/api/routing/agents/${id(s)}`,
        payload: { capacityChat: 2, capacityTicket: 10, skills: ['售后'] },
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    const c5 = await r.arrive();
    expect(await r.assignee(c5)).toBe(id(generalist));
    const loads = new Map(
      (await r.owner.get('/api/routing/war-room'))
        .json()
        .agents.map((a: { userId: string; loadChat: number }) => [a.userId, a.loadChat]),
    );
    expect(loads.get(id(none))).toBe(0);
  });
});
