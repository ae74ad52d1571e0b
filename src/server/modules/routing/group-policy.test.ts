/**
 * A group's own policy (both engines): conversations waiting for a group are given to its members
 * under the group's strategy, not the inbox's; without (or with a disabled) group policy the
 * inbox's rule decides. Bad input changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allTables, engines, type TestApp } from '../../testing/harness.ts';
import { routingSetup } from './test-setup.ts';

describe.each(engines)('group policy on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  /**
   * Two members: A has 2 of 5 chats but was last given one long ago; B has none but got one just
   * now. Least-busy picks B, round-robin (longest idle first) picks A.
   */
  async function setup() {
    const r = await routingSetup(engine);
    t = r.t;
    const a = await r.addAgent(5);
    const b = await r.addAgent(5);
    const group = (
      await r.owner.post('/api/groups', { name: '售后', memberIds: [a.actor.userId, b.actor.userId] })
    ).json();
    expect(group.id).toBeTruthy();
    const rule = await r.owner.request({
      method: 'PUT',
      url: '/api/routing/rules/*',
      payload: { enabled: true, strategy: 'least_busy', groupId: group.id },
    });
    expect(rule.statusCode, rule.body).toBe(200);
    const set = (id: string, load: number, last: string) =>
      allTables(t.s)
        .updateTable('routing_agents')
        .set({ load_chat: load, last_assigned_at: last })
        .where('user_id', '=', id)
        .execute();
    await set(a.actor.userId, 2, '2026-11-10T00:00:00.000Z');
    await set(b.actor.userId, 0, '2026-11-11T01:59:00.000Z');
    return { ...r, a, b, group };
  }

  it('assigns within the group under the group policy, else under the inbox rule', async () => {
    const { owner, arrive, assignee, a, b, group, item } = await setup();
    // No group policy: the workspace rule (least-busy) gives it to B.
    const first = await arrive();
    expect((await item(first)).group_id).toBe(group.id);
    expect(await assignee(first)).toBe(b.actor.userId);

    const put = await owner.request({
      method: 'PUT',
      url: `/api/routing/group-rules/${group.id}`,
      payload: { enabled: true, strategy: 'round_robin' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const rules = (await owner.get('/api/routing/rules')).json();
    expect(rules.byGroup[group.id]).toMatchObject({ enabled: true, strategy: 'round_robin' });
    expect(Object.keys(rules.byInbox)).toEqual([]);

    // Round-robin within the group: A waited longest since their last assignment.
    const second = await arrive();
    expect(await assignee(second)).toBe(a.actor.userId);

    // Disabled again: least-busy (B has 1 chat, A 3) decides.
    await owner.request({
      method: 'PUT',
      url: `/api/routing/group-rules/${group.id}`,
      payload: { enabled: false, strategy: 'round_robin' },
    });
    const third = await arrive();
    expect(await assignee(third)).toBe(b.actor.userId);
  });

  it('refuses a bad policy, an unknown group and an unknown inbox with nothing saved', async () => {
    const { t: app, owner, group } = await setup();
    const put = (url: string, payload: object) => owner.request({ method: 'PUT', url, payload });
    expect((await put(`/api/routing/group-rules/${group.id}`, { enabled: true, strategy: 'fastest' })).statusCode).toBe(
      400,
    );
    expect((await put(`/api/routing/group-rules/${group.id}`, { enabled: true, stickyMinutes: -1 })).statusCode).toBe(
      400,
    );
    expect((await put('/api/routing/group-rules/grp_nope', { enabled: true })).statusCode).toBe(404);
    expect((await put('/api/routing/rules/inb_nope', { enabled: true })).statusCode).toBe(404);
    expect((await put(`/api/routing/rules/group:${group.id}`, { enabled: true })).statusCode).toBe(404);
    expect((await put('/api/routing/rules/*', { enabled: true, groupId: 'grp_nope' })).statusCode).toBe(404);
    const other = await app.workspace('other');
    expect(
      (
        await other.owner.request({
          method: 'PUT',
          url: `/api/routing/group-rules/${group.id}`,
          payload: { enabled: true },
        })
      ).statusCode,
    ).toBe(404);
    const rules = (await owner.get('/api/routing/rules')).json();
    expect(rules.byGroup).toEqual({});
    expect(rules.byInbox).toEqual({});
    expect(rules.base.groupId).toBe(group.id);
  });
});
