/**
 * The console's incident routes on both engines, in an installation with a vendor (the home
 * workspace) and two merchants: the declaration form's choices (components, the workspaces the
 * actor may name, each contract's targets now and in a promotion), declaring for other workspaces,
 * the merchant's "report a problem" (the vendor's incident of source `merchant`, the support
 * line's 30 minutes, the merchant's list with the public updates only), an API declaration's
 * default workspaces (all that depend on its component), and the ops overview filtered per workspace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { applyOpsConfig } from '../monitoring/index.ts';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { engines, testApp, testPassword, type Client, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => at(local).toISOString();
const contract = {
  total: 1000000,
  term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
  promotions: [{ name: '双11', start: '2026-10-31T20:00:00+08:00', end: '2026-11-12T00:00:00+08:00' }],
  supportLine: { phone: '400-800-1234', email: 'support@vendor.example.com' },
};

describe.each(engines)('incidents console routes on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    const clock = manualClock(at('2026-11-11T09:00:00'));
    t = await testApp(engine, { clock });
    const home = await t.workspace('vendor', { installationOwner: true });
    const shopA = await t.workspace('shop-a');
    const shopB = await t.workspace('shop-b');
    const vendorOps = await t.user(home.id, 'ops');
    const opsA = await t.user(shopA.id, 'ops');
    const agentA = await t.user(shopA.id, 'agent');
    const agentB = await t.user(shopB.id, 'agent');
    const put = (c: Client, url: string, body: unknown) => c.request({ method: 'PUT', url, payload: body as object });
    expect((await put(shopA.owner, '/api/ops/contract', contract)).statusCode).toBe(200);
    // A component only shop A depends on.
    await applyOpsConfig(
      t.s,
      OpsConfig.parse({
        components: [{ name: 'shop_a_sync', title: 'A 同步', titleEn: 'A sync', workspaces: ['shop-a'] }],
      }),
    );
    return { clock, home, shopA, shopB, vendorOps, opsA, agentA, agentB };
  }

  it("offers the declaration form's choices and declares for the workspaces the vendor names", async () => {
    const { home, shopA, shopB, vendorOps, opsA, agentA } = await setup();
    const options = (await vendorOps.get('/api/ops/incidents/declare-options')).json();
    expect(options.canNameOthers).toBe(true);
    expect(options.workspaces.map((w: { id: string }) => w.id).sort()).toEqual([home.id, shopA.id, shopB.id].sort());
    const sync = options.components.find((c: { name: string }) => c.name === 'shop_a_sync');
    expect(sync.workspaceIds).toEqual([shopA.id]);
    const database = options.components.find((c: { name: string }) => c.name === 'database');
    expect(database.workspaceIds.sort()).toEqual([home.id, shopA.id, shopB.id].sort());
    // Shop A's contract is in its Double 11 window: P1 is 10 min / 1 h now, 15 min / 2 h outside.
    const a = options.contracts.find((c: { workspaceId: string }) => c.workspaceId === shopA.id);
    expect(a).toMatchObject({
      configured: true,
      now: { P1: { respond: 10, resolve: 60 }, P2: { respond: 30, resolve: 240 }, P3: { respond: 60, resolve: 480 } },
      base: { P1: { respond: 15, resolve: 120 } },
      promotion: { P1: { respond: 10, resolve: 60 } },
      activePromotion: { name: '双11', end: iso('2026-11-12T00:00:00') },
    });
    expect(options.contracts.find((c: { workspaceId: string }) => c.workspaceId === shopB.id).configured).toBe(false);

    // A merchant's ops engineer names only its own workspace.
    const own = (await opsA.get('/api/ops/incidents/declare-options')).json();
    expect([own.canNameOthers, own.workspaces.map((w: { id: string }) => w.id)]).toEqual([false, [shopA.id]]);
    expect((await agentA.get('/api/ops/incidents/declare-options')).statusCode).toBe(403);
    const refused = await opsA.post('/api/ops/incidents', { title: 'x', severity: 'P3', workspaceIds: [shopB.id] });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'forbidden']);

    // The vendor declares a drill for shop A and shop B: each gets its own contract's clock.
    const res = await vendorOps.post('/api/ops/incidents', {
      title: '订单同步中断',
      severity: 'P1',
      mode: 'drill',
      component: 'shop_a_sync',
      workspaceIds: [shopA.id, shopB.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json();
    expect(inc).toMatchObject({ mode: 'drill', workspaceIds: [shopA.id, shopB.id] });
    const byWs = Object.fromEntries(inc.clocks.map((c: { workspaceId: string }) => [c.workspaceId, c]));
    expect(byWs[shopA.id]).toMatchObject({
      promotion: '双11',
      respond: { minutes: 10 },
      table: { P2: { respond: 30 } },
    });
    expect(byWs[shopB.id]).toMatchObject({ respond: { minutes: 10 } }); // the default calendar has Double 11 too
    const bad = await vendorOps.post('/api/ops/incidents', { title: 'x', severity: 'P4' });
    expect(bad.statusCode).toBe(400);
    const unknown = await vendorOps.post('/api/ops/incidents', { title: 'x', severity: 'P3', workspaceIds: ['ws_x'] });
    expect(unknown.statusCode).toBe(400);
  });

  it('defaults the affected workspaces of an API declaration to those that depend on the named component', async () => {
    const { home, shopA, shopB, vendorOps, opsA } = await setup();
    const { secret } = (
      await vendorOps.post('/api/tokens', {
        name: 'pager',
        scopes: ['ops.read', 'ops.manage', 'installation.ops'],
        password: testPassword,
      })
    ).json();
    const api = (payload: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/ops/incidents',
        payload,
        headers: { authorization: `Bearer ${secret}` },
      });
    // A component only shop A depends on: shop A alone, with its contract's clock.
    const sync = await api({ title: '订单同步中断', severity: 'P2', component: 'shop_a_sync' });
    expect(sync.statusCode, sync.body).toBe(201);
    expect(sync.json()).toMatchObject({ source: 'api', workspaceIds: [shopA.id] });
    expect(sync.json().clocks.map((c: { workspaceId: string }) => c.workspaceId)).toEqual([shopA.id]);
    // A built-in component every workspace depends on: all of them, each with a clock.
    const db = (await api({ title: '主库只读', severity: 'P1', component: 'database' })).json();
    expect([...db.workspaceIds].sort()).toEqual([home.id, shopA.id, shopB.id].sort());
    expect(db.clocks).toHaveLength(3);
    // Workspaces named explicitly win; no component: the declarer's own workspace.
    expect(
      (await api({ title: 'x', severity: 'P3', component: 'database', workspaceIds: [shopB.id] })).json(),
    ).toMatchObject({ workspaceIds: [shopB.id] });
    expect((await api({ title: 'y', severity: 'P3' })).json()).toMatchObject({ workspaceIds: [home.id] });
    // An unknown component is refused with the reason.
    const unknown = await api({ title: 'z', severity: 'P3', component: 'nope' });
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([400, 'component: unknown component nope']);
    // A merchant's ops engineer naming a component still declares for its own workspace only.
    const own = await opsA.post('/api/ops/incidents', { title: '库存同步慢', severity: 'P3', component: 'database' });
    expect([own.statusCode, own.json().workspaceIds]).toEqual([201, [shopA.id]]);
  });

  it("takes a merchant's report to the vendor and shows the merchant its clock and public updates", async () => {
    const { clock, shopA, vendorOps, agentA, agentB } = await setup();
    const r = await agentA.post('/api/ops/incidents/report', {
      title: '订单详情页空白',
      description: '约十分之一的订单打不开',
      severity: 'P2',
      contact: '李店长 13900139000',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect((await agentA.post('/api/ops/incidents/report', { title: '', description: '' })).statusCode).toBe(400);

    // The vendor sees it as its own incident, of source merchant, for shop A.
    const list = (await vendorOps.get('/api/ops/incidents')).json().items;
    expect(list).toMatchObject([{ id: r.json().id, source: 'merchant', workspaceIds: [shopA.id] }]);
    const inc = (await vendorOps.get(`/api/ops/incidents/${r.json().id}`)).json();
    expect(inc).toMatchObject({ managed: true, respondBy: iso('2026-11-11T09:30:00') });
    expect(inc.description).toContain('李店长 13900139000');

    clock.set(at('2026-11-11T09:12:00'));
    expect((await vendorOps.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' })).statusCode).toBe(
      200,
    );
    await vendorOps.post(`/api/ops/incidents/${inc.id}/notes`, { body: '已定位到缓存问题，正在修复', public: true });
    await vendorOps.post(`/api/ops/incidents/${inc.id}/notes`, { body: '内部：重启 redis', public: false });

    const mine = (await agentA.get('/api/ops/incidents/report')).json();
    expect(mine.supportLine).toEqual({ phone: '400-800-1234', email: 'support@vendor.example.com' });
    // The support line's number is checked when the contract is saved.
    const badLine = await shopA.owner.request({
      method: 'PUT',
      url: '/api/ops/contract',
      payload: { ...contract, supportLine: { phone: 'call us', email: 'support@vendor.example.com' } },
    });
    expect(badLine.statusCode).toBe(400);
    expect(badLine.body).toContain('a phone number');
    expect(mine.answerMinutes).toBe(30);
    expect(mine.items).toEqual([
      expect.objectContaining({
        number: inc.number,
        state: 'acknowledged',
        severity: 'P2',
        reportedBy: expect.stringContaining('agent'),
        respondBy: iso('2026-11-11T09:30:00'),
        acknowledgedAt: iso('2026-11-11T09:12:00'),
        updates: [{ at: iso('2026-11-11T09:12:00'), body: '已定位到缓存问题，正在修复' }],
      }),
    ]);
    // Another merchant sees none of it; the merchant cannot manage it.
    expect((await agentB.get('/api/ops/incidents/report')).json().items).toEqual([]);
    expect((await agentA.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'resolved' })).statusCode).toBe(403);
  });

  it('filters the ops overview per workspace', async () => {
    const { clock, shopA, shopB, vendorOps, opsA } = await setup();
    const declare = async (title: string, severity: string, workspaceIds: string[]) =>
      (await vendorOps.post('/api/ops/incidents', { title, severity, workspaceIds })).json();
    const one = await declare('A 与 B', 'P2', [shopA.id, shopB.id]);
    const two = await declare('只有 B', 'P2', [shopB.id]);
    clock.set(at('2026-11-11T09:10:00'));
    await vendorOps.post(`/api/ops/incidents/${one.id}/transitions`, { to: 'acknowledged' });
    clock.set(at('2026-11-11T09:30:00'));
    await vendorOps.post(`/api/ops/incidents/${two.id}/transitions`, { to: 'acknowledged' });
    clock.set(at('2026-11-11T10:00:00'));
    await vendorOps.post(`/api/ops/incidents/${one.id}/transitions`, { to: 'resolved' });

    const all = (await vendorOps.get('/api/ops/overview')).json();
    expect(all.open).toBe(1);
    expect(all.stats).toEqual([
      {
        month: '2026-11',
        severity: 'P2',
        mtta: { count: 2, mean: 20, median: 10, p90: 30 },
        mttr: { count: 1, mean: 60, median: 60, p90: 60 },
      },
    ]);
    expect(all.workspaces.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining([shopA.id, shopB.id]));
    const a = (await vendorOps.get(`/api/ops/overview?workspaceId=${shopA.id}`)).json();
    expect([a.open, a.stats[0].mtta.count, a.stats[0].mttr.mean]).toEqual([0, 1, 60]);
    // Shop A's own ops engineer reads the incidents affecting shop A, and only its own workspace.
    const mine = (await opsA.get('/api/ops/overview')).json();
    expect([mine.workspaces, mine.stats[0].mtta.count]).toEqual([[{ id: shopA.id, name: 'Workspace shop-a' }], 1]);
    expect((await opsA.get(`/api/ops/overview?workspaceId=${shopB.id}`)).statusCode).toBe(400);
  });
});
