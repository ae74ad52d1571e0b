import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('audit log on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('records who did what to which object, from which IP', async () => {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('acme');
    const created = (
      await owner.request({
        method: 'POST',
        url: '/api/users',
        payload: { email: 'x@example.com', name: 'X', role: 'agent' },
        remoteAddress: '10.1.2.3',
      })
    ).json();
    await owner.patch(`/api/users/${created.user.id}`, { role: 'supervisor' });
    const auditor = await t.user(id, 'auditor');
    const page = (await auditor.get('/api/audit?objectType=user&limit=200')).json();
    const create = page.items.find((e: { action: string }) => e.action === 'user.created');
    expect(create).toMatchObject({
      actorType: 'user',
      actorId: owner.actor.userId,
      objectId: created.user.id,
      ip: '10.1.2.3',
      data: { email: 'x@example.com', role: 'agent' },
    });
    const update = page.items.find((e: { action: string }) => e.action === 'user.updated');
    expect(update.data).toEqual({ role: { from: 'agent', to: 'supervisor' } });
    // Newest first.
    expect(page.items.map((e: { id: string }) => e.id)).toEqual(
      [...page.items.map((e: { id: string }) => e.id)].sort().reverse(),
    );
  });

  it('pages with `before` and filters by action and actor', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    for (let i = 0; i < 5; i++) await owner.patch('/api/workspace', { name: `Name ${i}` });
    const first = (await owner.get('/api/audit?action=workspace.updated&limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].data.name.to).toBe('Name 4');
    const second = (await owner.get(`/api/audit?action=workspace.updated&limit=2&before=${first.nextBefore}`)).json();
    expect(second.items.map((e: { data: { name: { to: string } } }) => e.data.name.to)).toEqual(['Name 2', 'Name 1']);
    const third = (await owner.get(`/api/audit?action=workspace.updated&limit=2&before=${second.nextBefore}`)).json();
    expect(third.items).toHaveLength(1);
    expect(third.nextBefore).toBeNull();
    const byActor = (await owner.get(`/api/audit?actorId=${owner.actor.userId}&limit=200`)).json();
    expect(byActor.items.every((e: { actorId: string }) => e.actorId === owner.actor.userId)).toBe(true);
  });

  it('records failed sign-ins against the account, as the system', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: owner.actor.email, password: 'wrong-password' },
    });
    const e = (await owner.get('/api/audit?action=user.login_failed')).json().items[0];
    expect(e).toMatchObject({ actorType: 'system', objectId: owner.actor.userId, data: { failures: 1 } });
  });
});
