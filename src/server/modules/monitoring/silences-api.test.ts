/**
 * Ending a silence now (POST /api/ops/silences/:name/end) on both engines: the end time becomes
 * now, the audit log names who ended it, and the alert it held is announced at the next evaluation;
 * an unknown or already ended silence is refused, and only the installation's ops roles may end one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { listAlerts } from './alert-list.ts';
import { RuleEvaluator } from './alerts.ts';
import { saveConfigObject } from './config-store.ts';
import { exportOpsConfig } from './ops-config.ts';
import { memorySource } from './promql/eval.ts';
import type { Point } from './store.ts';

describe.each(engines)('ending a silence on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let shop: Client;
  const clock = manualClock('2026-12-01T08:00:00Z');
  const points: Point[] = [];
  const source = memorySource([{ name: 'probe_success', labels: { probe: 'api', component: 'web_chat' }, points }]);
  const firing = async () =>
    (await allTables(t.s).selectFrom('outbox').select('id').where('type', '=', 'alert.firing').execute()).length;
  const silence = (name: string, endsAt: string, startsAt?: string) =>
    saveConfigObject(
      t.s.db,
      'silence',
      name,
      {
        name,
        matchers: [{ name: 'component', value: 'web_chat', isRegex: false, isEqual: true }],
        ...(startsAt ? { startsAt } : {}),
        endsAt,
        createdBy: 'ops@example.com',
        comment: 'deploy',
      },
      0,
      clock.now(),
    );
  const end = (c: Client, name: string) => c.post(`/api/ops/silences/${encodeURIComponent(name)}/end`);

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    owner = (await t.workspace('home', { installationOwner: true })).owner;
    shop = (await t.workspace('shop')).owner;
  });
  afterAll(async () => t?.close());

  it('ends it now: the held alert is announced at the next evaluation, and the audit log names who ended it', async () => {
    await saveConfigObject(
      t.s.db,
      'group',
      'probes',
      { name: 'probes', interval: '15s', rules: [{ alert: 'ProbeDown', expr: 'probe_success == 0' }] },
      0,
      clock.now(),
    );
    await silence('deploy', '2026-12-01T10:00:00Z');
    const ev = new RuleEvaluator(t.s, source);
    const step = async () => {
      clock.advance(15_000);
      points.push([clock.now().getTime(), 0]);
      await ev.tick(clock.now().getTime());
    };
    await step();
    await step();
    expect((await listAlerts(t.s.db, 'firing'))[0]!.suppressedBy).toBe('silence:deploy');
    expect(await firing()).toBe(0);

    const res = await end(owner, 'deploy');
    expect(res.statusCode, res.body).toBe(200);
    const ended = (await exportOpsConfig(t.s.db)).silences.find((s) => s.name === 'deploy')!;
    expect(ended.endsAt).toBe(clock.now().toISOString());
    expect(ended.createdBy).toBe('ops@example.com');
    const audit = (await owner.get('/api/audit?action=ops_silence.ended')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].data).toEqual({
      name: 'deploy',
      endedAt: clock.now().toISOString(),
      scheduledEnd: '2026-12-01T10:00:00Z',
    });
    expect(JSON.stringify(audit[0])).toContain(owner.actor.userId);

    await step(); // the next evaluation: nothing holds it any more
    expect((await listAlerts(t.s.db, 'firing'))[0]!.suppressedBy).toBeNull();
    expect(await firing()).toBe(1);
    // Ended already: refused, and nothing changes.
    const again = await end(owner, 'deploy');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already ended/);
  });

  it('ends one that has not started yet before it starts, refuses unknown names and other roles', async () => {
    await silence('later', '2026-12-02T12:00:00Z', '2026-12-02T08:00:00Z');
    expect((await end(owner, 'later')).statusCode).toBe(200);
    const later = (await exportOpsConfig(t.s.db)).silences.find((s) => s.name === 'later')!;
    expect(later.startsAt).toBeUndefined();
    expect(later.endsAt).toBe(clock.now().toISOString());

    await silence('kept', '2026-12-02T12:00:00Z');
    expect((await end(owner, 'nothing-of-that-name')).statusCode).toBe(404);
    expect((await end(shop, 'kept')).statusCode).toBe(403);
    expect((await exportOpsConfig(t.s.db)).silences.find((s) => s.name === 'kept')!.endsAt).toBe(
      '2026-12-02T12:00:00Z',
    );
  });
});
