/**
 * The routing benchmark through the real gateway (`npm run bench -- routing`, bench/routing/)
 * at its smallest size, so it cannot rot: a Kefu process, 2 agents with 2 chats each over /ws,
 * 6 shoppers through the widget's path (4 assigned at once, 2 wait), the agents resolve, and the
 * summary's correctness fields come out right from the database and from what the shoppers heard.
 */
import { describe, expect, it } from 'vitest';
import { runGateway } from '../../../../bench/routing/gateway.ts';

describe('the routing benchmark through the gateway (smallest size)', () => {
  it('assigns 4 at once, queues 2, drains in order, and every figure is measured', async () => {
    const s = await runGateway({
      shoppers: 6,
      agents: 2,
      capacity: 2,
      seconds: 1,
      drainRate: 20,
      pin: false,
      log: () => {},
    });
    expect(s.failedShoppers, JSON.stringify(s.firstErrors)).toBe(0);
    expect(s).toMatchObject({
      conversations: 6,
      assigned: 4,
      queued: 2,
      neverAssigned: 0,
      neverToldAssigned: 0,
      doubleAssignments: 0,
      overCapacity: 0,
      outOfOrder: 0,
      itemsInDatabase: 6,
      assignmentsInDatabase: 6,
      resolutionsInDatabase: 6,
      maxChatsHeld: 2,
      queueFramesWithoutChangedAt: 0,
    });
    // Each shopper heard "assigned" once; the two who waited heard their place first.
    expect(s.queueFrames).toBeGreaterThanOrEqual(8);
    for (const k of ['assignP50Ms', 'assignP99Ms', 'waitedAssignP99Ms', 'queueUpdateP99Ms'] as const) {
      expect(s[k]).toBeGreaterThanOrEqual(0);
      expect(s[k]).toBeLessThan(120_000);
    }
    expect(s.serverCpuMsPerArrival).toBeGreaterThan(0);
  }, 300_000);
});
