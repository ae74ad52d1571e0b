/**
 * Monitoring belongs to the installation: its home workspace's owner, admins and ops engineers
 * hold `installation.ops`; the same roles of a merchant workspace do not, and read only the
 * components their own workspace depends on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, permissionsFor } from '../../../shared/permissions.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { listComponents, workspacesDependingOn } from './components.ts';
import { own } from './schema.ts';

describe('installation.ops', () => {
  it('is held by the installation owner everywhere and by home owners, admins and ops only', () => {
    expect(can('owner', 'installation.ops', true)).toBe(true);
    expect(can('owner', 'installation.ops')).toBe(false);
    expect(can('ops', 'installation.ops', false, true)).toBe(true);
    expect(can('admin', 'installation.ops', false, true)).toBe(true);
    expect(can('agent', 'installation.ops', false, true)).toBe(false);
    expect(can('auditor', 'installation.ops', false, true)).toBe(false);
    expect(permissionsFor('admin')).not.toContain('installation.ops');
  });
});

describe.each(engines)('components on %s', (engine) => {
  let t: TestApp;
  let home: string;
  let shop: string;
  let other: string;
  beforeAll(async () => {
    t = await testApp(engine);
    home = (await t.workspace('home', { installationOwner: true })).id;
    shop = (await t.workspace('shop')).id;
    other = (await t.workspace('other')).id;
  });
  afterAll(async () => t?.close());

  it('lets the home workspace ops engineer read components, not a merchant ops engineer', async () => {
    const homeOps = await t.user(home, 'ops');
    const shopOps = await t.user(shop, 'ops');
    const r = await homeOps.get('/api/ops/components');
    expect(r.statusCode).toBe(200);
    expect(r.json().items.map((c: { name: string }) => c.name)).toContain('web_chat');
    expect((await shopOps.get('/api/ops/components')).statusCode).toBe(403);
    expect((await shopOps.get('/api/ops/health/components')).statusCode).toBe(200);
    const homeAgent = await t.user(home, 'agent');
    expect((await homeAgent.get('/api/ops/components')).statusCode).toBe(403);
  });

  it('tells which workspaces depend on a component, and what a workspace depends on', async () => {
    const now = new Date().toISOString();
    await own(t.s.db)
      .insertInto('monitoring_components')
      .values({
        name: 'taobao_sync',
        title: '淘宝订单同步',
        title_en: 'Taobao order sync',
        description: '',
        workspaces: JSON.stringify([shop]),
        position: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    expect((await workspacesDependingOn(t.s, 'database')).sort()).toEqual([home, shop, other].sort());
    expect(await workspacesDependingOn(t.s, 'taobao_sync')).toEqual([shop]);
    expect(await workspacesDependingOn(t.s, 'nothing')).toEqual([]);
    const names = (await listComponents(t.s)).map((c) => c.name);
    expect(names.at(-1)).toBe('taobao_sync');
    const shopOps = await t.user(shop, 'ops');
    const otherOps = await t.user(other, 'ops');
    const see = async (c: typeof shopOps) =>
      ((await c.get('/api/ops/health/components')).json().items as { name: string }[]).map((x) => x.name);
    expect(await see(shopOps)).toContain('taobao_sync');
    expect(await see(otherOps)).not.toContain('taobao_sync');
  });
});
