/**
 * A probe's `resendEvery` with the fake clock on both engines: while its alert fires, `alert.firing`
 * is published again every N checks of the probe (with `repeat` counting up), not while a silence
 * holds it, never twice by two evaluators at once, and only once for a probe that does not resend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { RuleEvaluator } from './alerts.ts';
import { saveConfigObject } from './config-store.ts';
import { saveProbe } from './probes.ts';
import { memorySource } from './promql/eval.ts';
import { own } from './schema.ts';
import type { Point } from './store.ts';

describe.each(engines)('re-notifying firing alerts on %s', (engine) => {
  let t: TestApp;
  const clock = manualClock('2026-12-01T08:00:00Z');
  const points: Record<string, Point[]> = { api: [], quiet: [] };
  const source = memorySource(
    Object.entries(points).map(([probe, p]) => ({ name: 'probe_success', labels: { probe }, points: p })),
  );
  const firings = async () =>
    (
      await allTables(t.s)
        .selectFrom('outbox')
        .select(['payload'])
        .where('type', '=', 'alert.firing')
        .orderBy('seq')
        .execute()
    ).map((r) => {
      const d = JSON.parse(r.payload).data as { labels: { probe: string }; repeat?: number; alertId: string };
      return `${d.labels.probe}${d.repeat ? ` #${d.repeat}` : ''}`;
    });
  /** One check of both probes (15 s), then the evaluators' ticks. */
  const check = async (up: boolean, ...evs: RuleEvaluator[]) => {
    clock.advance(15_000);
    for (const p of Object.values(points)) p.push([clock.now().getTime(), up ? 1 : 0]);
    await Promise.all(evs.map((ev) => ev.tick(clock.now().getTime())));
  };

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    await t.workspace('home', { installationOwner: true });
  });
  beforeEach(async () => {
    for (const p of Object.values(points)) p.length = 0;
    await own(t.s.db).deleteFrom('monitoring_alerts').execute();
    await own(t.s.db).deleteFrom('monitoring_config').execute();
    await own(t.s.db).deleteFrom('monitoring_probes').execute();
    await allTables(t.s).deleteFrom('outbox').where('type', 'like', 'alert.%').execute();
    const probe = (name: string, resendEvery: number) =>
      saveProbe(
        t.s.db,
        ProbeInput.parse({ name, type: 'tcp', host: '127.0.0.1', port: 9, interval: '15s', resendEvery }),
        clock.now(),
      );
    await probe('api', 3); // again every 3 checks: 45 s
    await probe('quiet', 0);
    await saveConfigObject(
      t.s.db,
      'group',
      'probes',
      { name: 'probes', interval: '15s', rules: [{ alert: 'ProbeDown', expr: 'probe_success == 0' }] },
      0,
      clock.now(),
    );
  });
  afterAll(async () => t?.close());

  it('publishes alert.firing again every resendEvery checks while it fires, and stops when it resolves', async () => {
    const ev = new RuleEvaluator(t.s, source);
    await check(false, ev);
    expect((await firings()).sort()).toEqual(['api', 'quiet']);
    await check(false, ev);
    await check(false, ev);
    expect(await firings()).toHaveLength(2); // 30 s: not yet
    await check(false, ev); // 45 s after the first notification
    expect((await firings()).slice(2)).toEqual(['api #1']);
    for (let i = 0; i < 6; i++) await check(false, ev);
    expect((await firings()).slice(2)).toEqual(['api #1', 'api #2', 'api #3']);
    await check(true, ev);
    for (let i = 0; i < 6; i++) await check(true, ev);
    expect(await firings()).toHaveLength(5);
  });

  it('does not re-notify while a silence holds the alert, nor twice from two evaluators', async () => {
    const a = new RuleEvaluator(t.s, source);
    const b = new RuleEvaluator(t.s, source);
    await check(false, a, b);
    expect((await firings()).sort()).toEqual(['api', 'quiet']);
    await saveConfigObject(
      t.s.db,
      'silence',
      'deploy',
      {
        name: 'deploy',
        matchers: [{ name: 'probe', value: 'api', isRegex: false, isEqual: true }],
        endsAt: new Date(clock.now().getTime() + 100_000).toISOString(),
        createdBy: 'ops@example.com',
        comment: '发布中',
      },
      0,
      clock.now(),
    );
    for (let i = 0; i < 6; i++) await check(false, a, b); // 90 s, silenced all along
    expect(await firings()).toHaveLength(2);
    for (let i = 0; i < 2; i++) await check(false, a, b); // the silence ended: one resend, not two
    expect((await firings()).slice(2)).toEqual(['api #1']);
  });
});
