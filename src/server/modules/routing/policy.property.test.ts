/** The pure engine's promises, for any agents and queue (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimatedWaitSeconds,
  pickAgent,
  plan,
  qualifies,
  strategies,
  type AgentView,
  type ItemView,
} from './policy.ts';

const skills = ['中文', 'English', '售后', 'VIP'];
const agentArb = fc.record({
  id: fc.uuid(),
  presence: fc.constantFrom('online', 'busy', 'away', 'offline' as const),
  capacity: fc.integer({ min: 1, max: 6 }),
  load: fc.integer({ min: 0, max: 6 }),
  skills: fc.subarray(skills),
  groups: fc.subarray(['g1', 'g2']),
  lastAssignedAt: fc.option(fc.constantFrom('2026-11-11T00:00:00Z', '2026-11-11T00:05:00Z'), { nil: null }),
}) as fc.Arbitrary<AgentView>;
const itemArb = fc.record({
  id: fc.uuid(),
  skills: fc.subarray(skills, { maxLength: 2 }),
  groupId: fc.option(fc.constantFrom('g1', 'g2'), { nil: null }),
  stickyAgentId: fc.constant(null),
}) as fc.Arbitrary<ItemView>;

describe('routing plan', () => {
  it('never exceeds capacity, assigns each item at most once, only to online agents who qualify', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(agentArb, { selector: (a) => a.id, maxLength: 8 }),
        fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 30 }),
        fc.constantFrom(...strategies),
        (agents, items, strategy) => {
          const p = plan(items, agents, () => strategy, '2026-11-11T01:00:00Z');
          const ids = p.assignments.map((a) => a.itemId);
          expect(new Set(ids).size).toBe(ids.length);
          for (const a of agents) {
            const got = p.assignments.filter((x) => x.agentId === a.id).length;
            if (got) expect(a.load + got).toBeLessThanOrEqual(a.capacity);
            if (got) expect(a.presence).toBe('online');
          }
          const byId = new Map(items.map((i) => [i.id, i]));
          for (const x of p.assignments)
            expect(
              qualifies(
                agents.find((a) => a.id === x.agentId)!,
                byId.get(x.itemId)!,
              ),
            ).toBe(true);
          // Every item is assigned or waits with a reason.
          expect(p.assignments.length + p.waiting.size).toBe(items.length);
        },
      ),
    );
  });

  it('serves the queue in order: an item waits only if nobody with room could take it when its turn came', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(agentArb, { selector: (a) => a.id, maxLength: 6 }),
        fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 20 }),
        (agents, items) => {
          const p = plan(items, agents, () => 'least_busy', 'now');
          const assigned = new Set(p.assignments.map((a) => a.itemId));
          // Replaying in order: at each waiting item, no agent had room and qualified.
          const load = new Map(agents.map((a) => [a.id, a.load]));
          for (const item of items) {
            const able = agents.filter(
              (a) => a.presence === 'online' && load.get(a.id)! < a.capacity && qualifies(a, item),
            );
            if (assigned.has(item.id)) {
              const to = p.assignments.find((x) => x.itemId === item.id)!.agentId;
              load.set(to, load.get(to)! + 1);
            } else expect(able).toEqual([]);
          }
        },
      ),
    );
  });

  it('least-busy picks the lowest load share; sticky prefers the last agent when they have room', () => {
    const a: AgentView = {
      id: 'a',
      presence: 'online',
      capacity: 4,
      load: 2,
      skills: [],
      groups: [],
      lastAssignedAt: null,
    };
    const b: AgentView = { ...a, id: 'b', capacity: 5, load: 1 };
    const item: ItemView = { id: 'i', skills: [], groupId: null, stickyAgentId: 'a' };
    expect(pickAgent('least_busy', item, [a, b])!.id).toBe('b');
    expect(pickAgent('sticky', item, [a, b])!.id).toBe('a');
    expect(pickAgent('sticky', item, [{ ...a, load: 4 }, b])!.id).toBe('b');
    expect(
      pickAgent('round_robin', item, [
        { ...a, lastAssignedAt: '2' },
        { ...b, lastAssignedAt: '1' },
      ])!.id,
    ).toBe('b');
  });

  it('estimates the wait from the recent handling rate', () => {
    expect(estimatedWaitSeconds(1, 0, 900)).toBeNull();
    expect(estimatedWaitSeconds(3, 90, 900)).toBe(30);
    expect(estimatedWaitSeconds(0, 90, 900)).toBe(0);
  });
});
