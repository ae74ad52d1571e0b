/**
 * A late scheduled report, end to end through the reports, monitoring and incidents modules on
 * both engines: the shop's daily report is due at 08:00 and not produced; at 10:30 the node's
 * sampler records `kefu_reports_overdue{workspace="late-shop"} 1`, the installation's default rule
 * `ReportOverdue` fires (P3), and the incidents module opens a P3 incident for that shop alone.
 * Once the tick produces the report the gauge has no series (after the five-minute lookback of
 * the last sample), the alert resolves and the incident is mitigated. The vendor's home workspace has its schedules off: it is never late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsConfig } from '../shared/ops-api.ts';
import { manualClock } from './lib/clock.ts';
import { defaultOpsConfig } from './modules/monitoring/defaults.ts';
import { ensureDefaults } from './modules/monitoring/ops-config.ts';
import { ruleEvaluatorOf, samplerOf } from './modules/monitoring/runtime.ts';
import { runTick } from './modules/reports/index.ts';
import { allTables, engines, testApp, type Client, type TestApp } from './testing/harness.ts';

const off = { enabled: false, localTime: '08:00', recipients: [], channelIds: null };
const schedule = (c: Client, type: string, body: unknown) =>
  c.request({ method: 'PUT', url: `/api/reports/schedules/${type}`, payload: body as object });

describe.each(engines)('a late report raises ReportOverdue and a P3 incident on %s', (engine) => {
  let t: TestApp;
  let home: { id: string; owner: Client };
  let shop: { id: string; owner: Client };
  const clock = manualClock('2026-11-02T20:00:00Z'); // Tue 04:00 in Shanghai

  /** One sample of this node's registry, then one pass of the rules, at the clock's time. */
  const cycle = async () => {
    await samplerOf(t.s).tick();
    await ruleEvaluatorOf(t.s).tick(clock.now().getTime());
  };
  const alerts = () =>
    allTables(t.s)
      .selectFrom('monitoring_alerts')
      .select(['rule', 'state', 'labels'])
      .where('rule', '=', 'ReportOverdue')
      .execute();

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    home = await t.workspace('vendor', { installationOwner: true });
    shop = await t.workspace('late-shop');
    for (const type of ['daily', 'weekly', 'monthly-ops', 'monthly-cs'])
      expect((await schedule(home.owner, type, off)).statusCode).toBe(200);
    for (const type of ['weekly', 'monthly-ops', 'monthly-cs'])
      expect((await schedule(shop.owner, type, off)).statusCode).toBe(200);
    await ensureDefaults(t.s, OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:9')));
  }, 60_000);
  afterAll(async () => t?.close());

  it('does not fire while the report still has time', async () => {
    clock.set('2026-11-03T01:30:00Z'); // Tue 09:30: the daily report of Nov 2 is 1.5 h past its time
    await cycle();
    expect(await alerts()).toEqual([]);
    expect((await home.owner.get('/api/ops/incidents')).json().items).toEqual([]);
  });

  it('fires two hours after the instant and opens a P3 incident for the late shop', async () => {
    clock.set('2026-11-03T02:30:00Z'); // Tue 10:30: 2.5 h late
    await cycle();
    const [alert] = await alerts();
    expect(alert).toMatchObject({ rule: 'ReportOverdue', state: 'firing' });
    expect(JSON.parse(alert!.labels)).toMatchObject({ workspace: 'late-shop', severity: 'P3' });
    const items = (await home.owner.get('/api/ops/incidents')).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ source: 'alert', severity: 'P3', workspaceIds: [shop.id], state: 'triggered' });
    expect(items[0].title).toMatch(/定时报告超过 2 小时未生成/);
    // The merchant sees its own incident.
    expect((await shop.owner.get('/api/ops/incidents')).json().items.map((x: { id: string }) => x.id)).toEqual([
      items[0].id,
    ]);
  });

  it('resolves once the report is produced, and the incident is mitigated', async () => {
    expect((await runTick(t.s)).map((p) => p.split(' ').slice(1).join(' '))).toEqual(['daily 2026-11-02']);
    // The last sample (1) is read for five minutes, as in PromQL (the lookback): past it, nothing.
    clock.set('2026-11-03T02:36:30Z');
    await cycle();
    expect((await alerts()).map((a) => a.state)).toEqual(['resolved']);
    const [incident] = (await home.owner.get('/api/ops/incidents')).json().items;
    expect(incident.state).toBe('mitigated');
  }, 120_000); // the first report starts the process's report worker
});
