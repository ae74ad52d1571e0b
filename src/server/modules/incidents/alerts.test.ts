/** Alerts → incidents: graded alerts open incidents, re-firing joins the timeline, resolving mitigates. */
import { afterEach, describe, expect, it } from 'vitest';
import { publish, unitOfWork } from '../../context.ts';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import type { AlertEvent } from '../monitoring/index.ts';

const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('alerts → incidents on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('opens an incident for a firing alert, joins re-firings to it, and mitigates it when the alert resolves', async () => {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    t = await testApp(engine, { clock });
    const home = await t.workspace('vendor', { installationOwner: true });
    const shop = await t.workspace('shop');
    const alert = (over: Partial<AlertEvent> = {}): AlertEvent => ({
      alertId: 'alr_1',
      fingerprint: 'fp-web-down',
      rule: 'ChatEntryDown',
      group: 'contract',
      severity: 'P2',
      component: 'chat',
      workspaceIds: [home.id, shop.id],
      labels: { severity: 'P2', component: 'chat' },
      annotations: { summary: '在线客服入口不可用', description: 'probe web-widget down for 2m' },
      activeAt: at('2026-03-02T09:58:00').toISOString(),
      startsAt: at('2026-03-02T10:00:00').toISOString(),
      endsAt: null,
      value: 0,
      ...over,
    });
    const fire = (type: 'alert.firing' | 'alert.resolved', a: AlertEvent) =>
      unitOfWork(t.s, (s) => publish(s, type, home.id, 'alert', a.alertId, a));

    await fire('alert.firing', alert());
    clock.set(at('2026-03-02T10:05:00'));
    await fire('alert.firing', alert({ alertId: 'alr_2', startsAt: at('2026-03-02T10:05:00').toISOString() }));
    await fire('alert.firing', alert({ alertId: 'alr_3', fingerprint: 'fp-ungraded', severity: null, labels: {} }));
    await fire('alert.firing', alert({ alertId: 'alr_4', fingerprint: 'fp-opt-out', labels: { incident: 'none' } }));

    const items = (await home.owner.get('/api/ops/incidents')).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      source: 'alert',
      severity: 'P2',
      title: '在线客服入口不可用',
      declaredAt: at('2026-03-02T10:00:00').toISOString(),
      resolveBy: at('2026-03-02T14:00:00').toISOString(),
      workspaceIds: [home.id, shop.id],
    });
    // The merchant sees it with its own clock, and not which other workspaces are affected.
    const seen = (await shop.owner.get('/api/ops/incidents')).json().items;
    expect(seen.map((x: { id: string; workspaceIds: string[] }) => [x.id, x.workspaceIds])).toEqual([
      [items[0].id, [shop.id]],
    ]);

    clock.set(at('2026-03-02T10:20:00'));
    await fire('alert.resolved', alert({ endsAt: at('2026-03-02T10:20:00').toISOString() }));
    const inc = (await home.owner.get(`/api/ops/incidents/${items[0].id}`)).json();
    expect(inc.state).toBe('mitigated');
    expect(inc.timeline.map((e: { type: string }) => e.type)).toEqual([
      'declared',
      'alert',
      'alert',
      'alert_resolved',
      'state',
    ]);
    expect(inc.timeline.at(-1).data).toMatchObject({ from: 'triggered', to: 'mitigated', via: 'alert' });
    // Firing again after mitigation opens a new incident only once the old one is resolved: here it joins.
    await fire('alert.firing', alert({ alertId: 'alr_5' }));
    expect((await home.owner.get('/api/ops/incidents')).json().items).toHaveLength(1);
  });

  it('groups the alerts of one rule into one incident, mitigated when the last of them resolves', async () => {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    t = await testApp(engine, { clock });
    const home = await t.workspace('vendor', { installationOwner: true });
    const alert = (instance: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
      alertId: `alr_${instance}`,
      fingerprint: `fp-${instance}`,
      rule: 'DiskAlmostFull',
      group: 'host',
      severity: 'P3',
      component: 'database',
      workspaceIds: [home.id],
      labels: { severity: 'P3', component: 'database', instance },
      annotations: { summary: `disk of ${instance} almost full` },
      activeAt: at('2026-03-02T09:55:00').toISOString(),
      startsAt: at('2026-03-02T10:00:00').toISOString(),
      endsAt: null,
      value: 0.97,
      ...over,
    });
    const fire = (type: 'alert.firing' | 'alert.resolved', a: AlertEvent) =>
      unitOfWork(t.s, (s) => publish(s, type, home.id, 'alert', a.alertId, a));
    // A storm: the same rule for 30 instances, and one alert of another rule.
    for (let i = 0; i < 30; i++) await fire('alert.firing', alert(`db${i}`));
    await fire('alert.firing', alert('api', { rule: 'ApiSlow', fingerprint: 'fp-api-slow', component: 'web_chat' }));
    const items = (await home.owner.get('/api/ops/incidents')).json().items as { id: string; title: string }[];
    expect(items.map((x) => x.title).sort()).toEqual(['disk of api almost full', 'disk of db0 almost full']);
    const disk = items.find((x) => x.title === 'disk of db0 almost full')!;
    const timeline = async () =>
      (await home.owner.get(`/api/ops/incidents/${disk.id}`)).json() as { state: string; timeline: { type: string }[] };
    expect((await timeline()).timeline.filter((e) => e.type === 'alert')).toHaveLength(30);

    // 29 of 30 resolve: the incident stays triggered; the last one mitigates it.
    for (let i = 0; i < 29; i++) await fire('alert.resolved', alert(`db${i}`, { endsAt: clock.now().toISOString() }));
    expect((await timeline()).state).toBe('triggered');
    await fire('alert.resolved', alert('db29', { endsAt: clock.now().toISOString() }));
    expect((await timeline()).state).toBe('mitigated');

    // Mitigated, it takes back an alert it had; another alert of the group is a new problem.
    await fire('alert.firing', alert('db3'));
    expect((await home.owner.get('/api/ops/incidents')).json().items).toHaveLength(2);
    await fire('alert.firing', alert('db99'));
    expect((await home.owner.get('/api/ops/incidents')).json().items).toHaveLength(3);
    // Another grade or another set of affected workspaces is another group.
    await fire('alert.firing', alert('db0', { alertId: 'alr_p1', severity: 'P1', labels: { severity: 'P1' } }));
    expect((await home.owner.get('/api/ops/incidents')).json().items).toHaveLength(4);
  });
  it("titles an incident from an alert in the workspace's language (built-in rules summarise in both)", async () => {
    t = await testApp(engine);
    const home = await t.workspace('vendor', { installationOwner: true });
    // Two rules, so the second alert opens an incident of its own.
    const alert = (n: number): AlertEvent => ({
      alertId: `alr_${n}`,
      fingerprint: `fp-${n}`,
      rule: `DatabaseUnreachable${n}`,
      group: 'contract-p1',
      severity: 'P1',
      component: 'database',
      workspaceIds: [home.id],
      labels: { severity: 'P1', component: 'database' },
      annotations: { summary: 'the database is unreachable', summary_zh: '数据库不可达' },
      activeAt: new Date().toISOString(),
      startsAt: new Date().toISOString(),
      endsAt: null,
      value: 0,
    });
    const fire = (a: AlertEvent) => unitOfWork(t.s, (s) => publish(s, 'alert.firing', home.id, 'alert', a.alertId, a));
    await fire(alert(1));
    const titles = async () =>
      (await home.owner.get('/api/ops/incidents')).json().items.map((i: { title: string }) => i.title);
    expect(await titles()).toEqual(['数据库不可达']);
    const en = await home.owner.patch('/api/workspace', { defaultLanguage: 'en' });
    expect(en.statusCode, en.body).toBe(200);
    await fire(alert(2));
    expect((await titles()).sort()).toEqual(['the database is unreachable', '数据库不可达']);
  });
});
