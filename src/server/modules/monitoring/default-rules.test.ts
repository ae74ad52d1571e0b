/**
 * The built-in rules that follow the contract's grading, evaluated with the fake clock over
 * recorded series on both engines: a failed backup verification or restore drill is data loss
 * (P1), a failed backup run is not; TicketsNotFlowing is per workspace (a busy one does not mask a
 * stuck one), waits for that workspace's working hours (the SLA calendars' `kefu_sla_calendar_open`)
 * and fires only 30 minutes into them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { listAlerts } from './alert-list.ts';
import { RuleEvaluator } from './alerts.ts';
import { saveConfigObject } from './config-store.ts';
import { defaultOpsConfig } from './defaults.ts';
import { memorySource } from './promql/eval.ts';
import { own } from './schema.ts';
import type { Labels, Point } from './store.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const groups = OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:3000')).groups;
const ruleOf = (alert: string) => {
  const g = groups.find((x) => x.rules.some((r) => r.alert === alert))!;
  return { group: g.name, rule: g.rules.find((r) => r.alert === alert)! };
};

describe.each(engines)('the built-in contract rules on %s', (engine) => {
  let t: TestApp;
  let shopId = '';
  const clock = manualClock(at('2026-03-02T08:00:00')); // a Monday
  const series: { name: string; labels: Labels; points: Point[] }[] = [];
  const source = memorySource(series);
  /** Records each series' value now (a function of the time for the ones that change). */
  let values: { name: string; labels: Labels; v: (now: number) => number }[] = [];
  const record = () => {
    const now = clock.now().getTime();
    for (const x of values) {
      let s = series.find((y) => y.name === x.name && JSON.stringify(y.labels) === JSON.stringify(x.labels));
      if (!s) series.push((s = { name: x.name, labels: x.labels, points: [] }));
      s.points.push([now, x.v(now)]);
    }
  };
  const only = async (alert: string) => {
    const { group, rule } = ruleOf(alert);
    await saveConfigObject(t.s.db, 'group', group, { name: group, interval: '15s', rules: [rule] }, 0, clock.now());
  };
  /** Moves the clock step by step (a minute) to `until`, recording and evaluating at each step. */
  const runUntil = async (
    ev: RuleEvaluator,
    until: Date,
    seen: (state: string[]) => void = () => {},
    stepMs = 60_000,
  ) => {
    while (clock.now() < until) {
      clock.advance(Math.min(stepMs, until.getTime() - clock.now().getTime()));
      record();
      await ev.tick(clock.now().getTime());
      seen((await listAlerts(t.s.db)).map((a) => `${a.rule}:${a.state}`));
    }
  };

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    await t.workspace('home', { installationOwner: true });
    shopId = (await t.workspace('shop')).id;
    await t.workspace('busy');
    await t.workspace('night-shop');
  });
  beforeEach(async () => {
    series.length = 0;
    values = [];
    await own(t.s.db).deleteFrom('monitoring_alerts').execute();
    await own(t.s.db).deleteFrom('monitoring_config').execute();
  });
  afterAll(async () => t?.close());

  it('grades damage found by a verification or restore drill as data loss (P1); a failed backup, or a check that could not run, as P3', async () => {
    await only('DataLossDetected');
    const { group: g3, rule: backupFailed } = ruleOf('BackupFailed');
    await saveConfigObject(t.s.db, 'group', g3, { name: g3, rules: [backupFailed] }, 0, clock.now());
    const failed = (target: string, kind: string, from: number) => ({
      name: 'kefu_backup_run_failed',
      labels: { target, kind },
      v: (now: number) => (now >= from ? 1 : 0),
    });
    const damage = (target: string, kind: string, from: number) => ({
      name: 'kefu_backup_damage_found',
      labels: { target, kind },
      v: (now: number) => (now >= from ? 1 : 0),
    });
    const soon = clock.now().getTime() + 3 * 60_000;
    const never = Infinity;
    values = [
      failed('nas', 'backup', soon),
      failed('nas', 'verify', 0),
      damage('nas', 'verify', 0),
      failed('offsite', 'drill', soon),
      damage('offsite', 'drill', soon),
      // A verification that could not reach its target failed without finding damage: not data loss.
      failed('s3', 'verify', 0),
      damage('s3', 'verify', never),
    ];
    const ev = new RuleEvaluator(t.s, source);
    await runUntil(ev, new Date(clock.now().getTime() + 2 * 60_000));
    const firingNow = async () =>
      (await listAlerts(t.s.db, 'firing'))
        .map((a) => `${a.rule} ${a.severity} ${a.labels.target} ${a.labels.kind}`)
        .sort();
    expect(await firingNow()).toEqual(['BackupFailed P3 s3 verify', 'DataLossDetected P1 nas verify']);
    await runUntil(ev, new Date(clock.now().getTime() + 2 * 60_000));
    expect(await firingNow()).toEqual([
      'BackupFailed P3 nas backup',
      'BackupFailed P3 s3 verify',
      'DataLossDetected P1 nas verify',
      'DataLossDetected P1 offsite drill',
    ]);
  });

  it('fires TicketsNotFlowing per workspace only 30 minutes into its working hours, and resolves when they end', async () => {
    await only('TicketsNotFlowing');
    // A backlog that never moves, all day; the shop's calendar opens 09:00–18:00 Shanghai time.
    const open = (now: number) => {
      const h = (new Date(now).getUTCHours() + 8) % 24;
      return h >= 9 && h < 18 ? 1 : 0;
    };
    // Per workspace: `busy` moves its tickets every minute (which, summed over the installation,
    // masked the stuck `shop`); `night-shop` is stuck too, but outside its working hours.
    const moving = (now: number) => Math.floor((now - at('2026-03-02T08:00:00').getTime()) / 60_000);
    values = [
      { name: 'kefu_tickets_backlog', labels: { workspace: 'shop', status: 'open' }, v: () => 12 },
      { name: 'kefu_ticket_transitions_total', labels: { workspace: 'shop', from: 'new', to: 'open' }, v: () => 40 },
      { name: 'kefu_sla_calendar_open', labels: { workspace: 'shop' }, v: open },
      { name: 'kefu_tickets_backlog', labels: { workspace: 'busy', status: 'new' }, v: () => 30 },
      { name: 'kefu_ticket_transitions_total', labels: { workspace: 'busy', from: 'new', to: 'open' }, v: moving },
      { name: 'kefu_sla_calendar_open', labels: { workspace: 'busy' }, v: open },
      { name: 'kefu_tickets_backlog', labels: { workspace: 'night-shop', status: 'open' }, v: () => 5 },
      { name: 'kefu_sla_calendar_open', labels: { workspace: 'night-shop' }, v: () => 0 },
    ];
    const ev = new RuleEvaluator(t.s, source);
    // Before opening the backlog sits still for an hour: nothing, not even pending.
    await runUntil(ev, at('2026-03-02T08:59:00'), (s) => expect(s).toEqual([]));
    await runUntil(ev, at('2026-03-02T09:29:00'), (s) => expect(s).toEqual(['TicketsNotFlowing:pending']));
    await runUntil(ev, at('2026-03-02T09:31:00'));
    const firing = await listAlerts(t.s.db, 'firing');
    expect(firing.map((a) => [a.rule, a.severity, a.labels.workspace])).toEqual([['TicketsNotFlowing', 'P2', 'shop']]);
    expect(firing[0]!.annotations.summary).toBe(
      'tickets of shop wait but none changed status for 30 min in working hours',
    );
    // The alert names the workspace: its event (the incident) affects that workspace only.
    const events = await allTables(t.s)
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'alert.firing')
      .execute();
    const mine = events.map((e) => JSON.parse(e.payload).data).filter((d) => d.rule === 'TicketsNotFlowing');
    expect(mine.map((d) => d.workspaceIds)).toEqual([[shopId]]);
    // At 18:00 the shop closes: the alert resolves though the backlog still stands (4-minute
    // steps through the afternoon keep every step within the 5-minute lookback).
    await runUntil(ev, at('2026-03-02T17:56:00'), (s) => expect(s).toEqual(['TicketsNotFlowing:firing']), 4 * 60_000);
    await runUntil(ev, at('2026-03-02T18:01:00'));
    expect(await listAlerts(t.s.db, 'firing')).toEqual([]);
    expect((await listAlerts(t.s.db, 'resolved')).map((a) => a.rule)).toEqual(['TicketsNotFlowing']);
  }, 120_000);
});
