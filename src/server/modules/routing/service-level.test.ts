/**
 * The war room's service level is the share of chats whose first human reply came within N
 * seconds of their arrival — not the time to assignment. Hand-built rows for the arithmetic, then
 * both engines through the real routes: assigned at once but answered late is a miss; an internal
 * note is no reply; a chat still unanswered past the target counts as missed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, type TestApp } from '../../testing/harness.ts';
import { routingSetup } from './test-setup.ts';
import { serviceLevel } from './warroom.ts';

describe('serviceLevel (hand-built data)', () => {
  const at = (s: number) => new Date(Date.parse('2026-11-11T02:00:00Z') + s * 1000).toISOString();
  const now = Date.parse(at(600));
  const rows = [
    { id: 'a', arrived_at: at(0) }, // replied after 10 s: within
    { id: 'b', arrived_at: at(10) }, // replied after 30 s exactly: within
    { id: 'c', arrived_at: at(20) }, // replied after 31 s: late
    { id: 'd', arrived_at: at(100) }, // never replied, waited 500 s: missed
    { id: 'e', arrived_at: at(590) }, // not replied, only 10 s old: not counted yet
    { id: 'f', arrived_at: at(-10) }, // before the period: not counted
  ];
  const replies = new Map([
    ['a', at(10)],
    ['b', at(40)],
    ['c', at(51)],
    ['f', at(0)],
  ]);

  it('counts replies within the target, late replies and unanswered chats past it', () => {
    expect(serviceLevel(rows, replies, at(0), 30, now)).toEqual({
      answered: 3,
      withinTarget: 2,
      missed: 1,
      abandoned: 0,
      share: 0.5,
    });
  });

  it('counts a chat abandoned in the queue at once, not as missed, against the share', () => {
    const gone = [...rows, { id: 'g', arrived_at: at(595), left_as: 'abandoned' }];
    expect(serviceLevel(gone, replies, at(0), 30, now)).toEqual({
      answered: 3,
      withinTarget: 2,
      missed: 1,
      abandoned: 1,
      share: 0.4,
    });
  });

  it('has no share when nothing can be counted yet', () => {
    expect(serviceLevel([{ id: 'e', arrived_at: at(590) }], new Map(), at(0), 30, now)).toEqual({
      answered: 0,
      withinTarget: 0,
      missed: 0,
      abandoned: 0,
      share: null,
    });
  });
});

describe.each(engines)('war room service level on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('is measured to the first human reply, not to the assignment', async () => {
    const r = await routingSetup(engine, { serviceLevelSeconds: 30 });
    t = r.t;
    const agent = await r.addAgent(5);
    const quick = await r.arrive();
    const slow = await r.arrive();
    const never = await r.arrive();
    // All three are assigned at once: by time to assignment the level would be 100 %.
    for (const id of [quick, slow, never]) expect(await r.assignee(id)).toBe(agent.actor.userId);
    const say = (id: string, n: string, kind: 'text' | 'note' = 'text') =>
      agent.post(`/api/conversations/${id}/messages`, { clientId: n, kind, body: '您好' });
    r.clock.advance(5_000);
    expect((await say(quick, 'q1')).statusCode).toBe(200);
    expect((await say(slow, 's0', 'note')).statusCode).toBe(200); // an internal note is no reply
    r.clock.advance(60_000);
    expect((await say(slow, 's1')).statusCode).toBe(200);
    const level = (await r.owner.get('/api/routing/war-room')).json().serviceLevel;
    const expected = { answered: 2, withinTarget: 1, missed: 1, abandoned: 0, share: 1 / 3 };
    expect(level.targetSeconds).toBe(30);
    expect(level.last15m).toEqual(expected);
    expect(level.today).toEqual(expected);
    // Twenty minutes later the last 15 minutes hold none of them; today still does.
    r.clock.advance(20 * 60_000);
    const later = (await r.owner.get('/api/routing/war-room')).json().serviceLevel;
    expect(later.last15m).toEqual({ answered: 0, withinTarget: 0, missed: 0, abandoned: 0, share: null });
    expect(later.today).toEqual(expected);
  });
});
