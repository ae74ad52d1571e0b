/**
 * 0284 on agents routed before it (each engine): those whose capacities differ from their workspace
 * rule's defaults (or the built-in 5 / 20 without a rule) were set by hand; the others follow the defaults.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../src/server/testing/harness.ts';
import { markOwnCapacities } from './0284-routing-own-capacity.ts';

describe.each(engines)('migration 0284 on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('keeps the capacities a supervisor chose and lets the others follow the defaults', async () => {
    t = await testApp(engine);
    const shop = await t.workspace('shop');
    const other = await t.workspace('other'); // no rule: the built-in defaults
    await shop.owner.request({
      method: 'PUT',
      url: '/api/routing/rules/*',
      payload: { enabled: true, strategy: 'least_busy', defaultCapacityChat: 4, defaultCapacityTicket: 20 },
    });
    const agents = [await t.user(shop.id, 'agent'), await t.user(shop.id, 'agent'), await t.user(other.id, 'agent')];
    for (const [i, a] of agents.entries())
      await (a.actor.workspaceId === shop.id ? shop : other).owner.request({
        method: 'PUT',
        url: `/api/routing/agents/${a.actor.userId}`,
        payload: { capacityChat: [4, 2, 5][i], capacityTicket: 20, skills: [] },
      });
    const db = t.s.db as Kysely<any>;
    await db.updateTable('routing_agents').set({ capacity_set_at: null }).execute(); // as before 0284
    await markOwnCapacities(db);
    const rows = (await db.selectFrom('routing_agents').select(['user_id', 'capacity_set_at']).execute()) as {
      user_id: string;
      capacity_set_at: string | null;
    }[];
    const marked = (a: (typeof agents)[number]) =>
      rows.find((r) => r.user_id === a.actor.userId)?.capacity_set_at ?? null;
    expect(marked(agents[0])).toBeNull(); // 4 = the shop's default
    expect(marked(agents[1])).not.toBeNull(); // 2: chosen
    expect(marked(agents[2])).toBeNull(); // 5 = the built-in default
  });
});
