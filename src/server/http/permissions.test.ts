/**
 * Walks every API route with every role (and signed out) and checks the outcome against the
 * permission matrix in src/shared/permissions.ts: no route is left unguarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, roles, type Role } from '../../shared/permissions.ts';
import { engines, testApp, type Client, type TestApp } from '../testing/harness.ts';

describe.each(engines)('permission matrix on %s', (engine) => {
  let t: TestApp;
  let wsId: string;
  let targetUserId: string;
  const clients = new Map<Role | 'installation-owner', Client>();

  beforeAll(async () => {
    t = await testApp(engine);
    const home = await t.workspace('home', { installationOwner: true });
    clients.set('installation-owner', home.owner);
    const { id, owner } = await t.workspace('shop');
    wsId = id;
    clients.set('owner', owner);
    for (const role of roles.filter((r) => r !== 'owner')) clients.set(role, await t.user(wsId, role));
    targetUserId = (await t.user(wsId, 'readonly')).actor.userId;
  });
  afterAll(async () => t?.close());

  const fill = (url: string) => url.replace(':id', targetUserId);

  it('every /api route declares a guard', () => {
    const routes = t.app.kefuRoutes;
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) expect(r.auth ?? r.permission, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('refuses every non-public route to a signed-out caller', async () => {
    for (const r of t.app.kefuRoutes.filter((x) => x.auth !== 'public')) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: fill(r.url),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('allows exactly what the matrix allows, for every role', async () => {
    const subjects: (Role | 'installation-owner')[] = [...roles, 'installation-owner'];
    for (const subject of subjects) {
      for (const r of t.app.kefuRoutes.filter((x) => x.auth !== 'public')) {
        const role: Role = subject === 'installation-owner' ? 'owner' : subject;
        // Sign in afresh for sign-out so the shared client keeps its session.
        const client =
          r.url === '/api/auth/logout' ? await t.signIn(clients.get(subject)!.actor.email) : clients.get(subject)!;
        const res = await client.request({
          method: r.method as 'GET',
          url: fill(r.url),
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        const allowed = !r.permission || can(role, r.permission, subject === 'installation-owner');
        const label = `${subject} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`;
        if (allowed) {
          expect([401, 403], label).not.toContain(res.statusCode);
          expect(res.statusCode, label).toBeLessThan(500);
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(res.json().error.code, label).toBe('forbidden');
        }
      }
    }
  }, 180_000); // a walk over every route for every role: it grows with the route table

  it('nobody grants a role above their own', async () => {
    const admin = clients.get('admin')!;
    const r = await admin.post('/api/users', { email: 'boss@example.com', name: 'Boss', role: 'owner' });
    expect(r.statusCode).toBe(403);
    const owner = clients.get('owner')!;
    expect((await admin.patch(`/api/users/${owner.actor.userId}`, { disabled: true })).statusCode).toBe(403);
    expect((await owner.patch(`/api/users/${owner.actor.userId}`, { role: 'agent' })).statusCode).toBe(400);
  });
});
