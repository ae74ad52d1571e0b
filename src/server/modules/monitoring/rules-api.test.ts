/**
 * The rule editor's routes on both engines: a rule is created (with its group), changed, left
 * alone when unchanged and deleted (its group with it); bad PromQL, a severity outside P1–P3 and a
 * bad duration come back as 400 with the field, and change nothing; only the installation's ops
 * roles may edit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { exportOpsConfig } from './ops-config.ts';

describe.each(engines)('rule editor routes on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await testApp(engine);
    owner = (await t.workspace('ops-home', { installationOwner: true })).owner;
  });
  afterAll(async () => t?.close());

  const rule = {
    expr: 'probe_success{probe="shop"} == 0',
    for: '1m',
    keep_firing_for: '2m',
    labels: { severity: 'P2', component: 'web_chat' },
    annotations: { summary: 'shop {{ $labels.probe }} is down', runbook_url: 'https://runbooks.example/shop' },
  };
  const put = (group: string, alert: string, body: unknown) =>
    owner.request({
      method: 'PUT',
      url: `/api/ops/rules/${encodeURIComponent(group)}/${alert}`,
      payload: body as object,
    });
  const groupOf = async (name: string) => (await exportOpsConfig(t.s.db)).groups.find((g) => g.name === name);

  it('creates, changes, keeps and deletes a rule by name', async () => {
    const created = await put('shop rules', 'ShopDown', rule);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toEqual({ outcome: 'created' });
    expect((await groupOf('shop rules'))!.rules).toEqual([{ alert: 'ShopDown', ...rule }]);
    expect((await put('shop rules', 'ShopDown', rule)).json()).toEqual({ outcome: 'unchanged' });
    const changed = await put('shop rules', 'ShopDown', { ...rule, for: '5m', labels: { severity: 'P1' } });
    expect(changed.json()).toEqual({ outcome: 'updated' });
    expect((await put('shop rules', 'ShopSlow', { expr: 'probe_duration_seconds > 2' })).json()).toEqual({
      outcome: 'created',
    });
    const g = await groupOf('shop rules');
    expect(g!.rules.map((r) => [r.alert, r.for, r.labels?.severity])).toEqual([
      ['ShopDown', '5m', 'P1'],
      ['ShopSlow', undefined, undefined],
    ]);
    expect((await owner.del('/api/ops/rules/shop%20rules/ShopDown')).statusCode).toBe(200);
    expect((await groupOf('shop rules'))!.rules.map((r) => r.alert)).toEqual(['ShopSlow']);
    expect((await owner.del('/api/ops/rules/shop%20rules/ShopDown')).statusCode).toBe(404);
    expect((await owner.del('/api/ops/rules/shop%20rules/ShopSlow')).statusCode).toBe(200);
    expect(await groupOf('shop rules')).toBeUndefined();
  });

  it('refuses bad input with the field it belongs to, and changes nothing', async () => {
    const before = await exportOpsConfig(t.s.db);
    const badExpr = await put('shop rules', 'Broken', { ...rule, expr: 'rate(probe_success[5m]' });
    expect(badExpr.statusCode).toBe(400);
    expect(badExpr.json().error.issues[0].path).toBe('expr');
    expect(badExpr.json().error.message).toMatch(/at character/);
    const badSeverity = await put('shop rules', 'Broken', { ...rule, labels: { severity: 'P4' } });
    expect(badSeverity.statusCode).toBe(400);
    expect(badSeverity.json().error.issues[0].path).toBe('labels.severity');
    const badFor = await put('shop rules', 'Broken', { ...rule, for: 'ten minutes' });
    expect(badFor.statusCode).toBe(400);
    expect(JSON.stringify(badFor.json().error.issues)).toContain('for');
    expect((await put('shop rules', 'not-a-name', rule)).statusCode).toBe(400);
    expect(await exportOpsConfig(t.s.db)).toEqual(before);
  });

  it('is for the installation ops roles only', async () => {
    const shop = await t.workspace('shop');
    const agent = await t.user(shop.id, 'agent');
    for (const c of [shop.owner, agent]) {
      const res = await c.request({ method: 'PUT', url: '/api/ops/rules/x/Y', payload: rule });
      expect(res.statusCode).toBe(403);
    }
    expect((await groupOf('x'))?.rules).toBeUndefined();
  });
});
