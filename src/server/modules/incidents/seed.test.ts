/** The demo data loads through the real services and shows a late incident's penalty, open incidents and the on-call rota. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { seedIncidents } from './seed.ts';

describe.each(engines)('incident demo data on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('seeds a contract, five incidents, a review, a rotation and a policy', { timeout: 90_000 }, async () => {
    const clock = manualClock('2026-03-20T02:00:00Z');
    t = await testApp(engine, { clock });
    const { owner, id } = await t.workspace('demo');
    await seedIncidents(t.s, { workspaceId: id, ownerId: owner.actor.userId });
    const items = (await owner.get('/api/ops/incidents')).json().items;
    expect(items).toHaveLength(5);
    expect((await owner.get('/api/ops/incidents?state=open')).json().items).toHaveLength(2);
    // The late P2 (5.5 h, due 4 h): 2 started hours × 0.5 % of 1 200 000 = 12 000.
    const st = (await owner.get('/api/ops/penalties/2026-03')).json();
    expect(st.deduction).toBe(12000);
    const oncall = (await owner.get('/api/ops/oncall')).json();
    expect(oncall.rotations[0].shifts[0].userId).toBe(owner.actor.userId);
    expect((await owner.get('/api/ops/overview')).json().actionItems).toHaveLength(1);
  });
});
