/**
 * What the monitoring module seeds into the demo workspace: the weekly maintenance window only with
 * the living demo. An otherwise empty demo workspace (the test suites' processes run one) once got it
 * too, and every alert was silenced on Tuesdays 02:00–03:00 Beijing time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { exportOpsConfig } from './ops-config.ts';
import { monitoringModule } from './index.ts';

describe.each(engines)('the monitoring seed on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(engine);
  });
  afterAll(async () => t?.close());

  it('gives an empty demo workspace no maintenance window, and the living demo its weekly one', async () => {
    const { id } = await t.workspace('demo', { installationOwner: true });
    const target = { workspaceId: id, ownerId: 'usr_seed' };
    await monitoringModule.seed!({ ...t.s, config: { ...t.s.config, demoData: false } }, target);
    const empty = await exportOpsConfig(t.s.db);
    expect(empty.maintenance).toEqual([]);
    expect(empty.components.map((c) => c.name)).toContain('taobao_sync');

    // The same seed for the living demo (built-in probes off: not what this test is about).
    await monitoringModule.seed!({ ...t.s, config: { ...t.s.config, demoData: true, monitoring: false } }, target);
    expect((await exportOpsConfig(t.s.db)).maintenance.map((m) => m.name)).toEqual(['每周二凌晨例行维护']);
  });
});
