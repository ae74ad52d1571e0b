/**
 * Alert rules over recorded series on both engines: pending → firing after `for`, the alert.firing
 * event once (also with two evaluators at once and after a restart in the pending state),
 * keep_firing_for, resolution with alert.resolved, silences, maintenance windows and inhibition,
 * annotation templates.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { listAlerts } from './alert-list.ts';
import { renderTemplate, RuleEvaluator } from './alerts.ts';
import { maintenanceOpen } from './suppression.ts';
import { saveConfigObject } from './config-store.ts';
import { memorySource } from './promql/eval.ts';
import { own } from './schema.ts';
import type { Point } from './store.ts';

describe('templates and windows', () => {
  it('fills annotations from labels and the value', () => {
    expect(
      renderTemplate('{{ $labels.probe }} down ({{ $value }}; {{ $value | humanize }})', { probe: 'api' }, 1234.5),
    ).toBe('api down (1234.5; 1.23k)');
    expect(renderTemplate('{{ .Labels.x }}{{ unknown }}', {}, null)).toBe('{{ unknown }}');
  });

  it('opens recurring maintenance windows on their weekdays in their time zone', () => {
    const w = {
      name: 'nightly',
      matchers: [],
      recurring: { weekdays: [2], start: '23:30', duration: '1h', timezone: 'Asia/Shanghai' },
    };
    // Tuesday 2026-12-01 23:45 in Shanghai = 15:45 UTC; it runs to Wednesday 00:30.
    expect(maintenanceOpen(w, Date.parse('2026-12-01T15:45:00Z'))).toBe(true);
    expect(maintenanceOpen(w, Date.parse('2026-12-01T16:20:00Z'))).toBe(true);
    expect(maintenanceOpen(w, Date.parse('2026-12-01T16:31:00Z'))).toBe(false);
    expect(maintenanceOpen(w, Date.parse('2026-12-02T15:45:00Z'))).toBe(false);
  });
});

describe.each(engines)('alert rules on %s', (engine) => {
  let t: TestApp;
  const clock = manualClock('2026-12-01T08:00:00Z');
  let points: Point[] = [];
  let other: Point[] = [];
  const source = memorySource([
    {
      name: 'probe_success',
      labels: { probe: 'api', component: 'web_chat' },
      get points() {
        return points;
      },
    },
    {
      name: 'probe_success',
      labels: { probe: 'db', component: 'database' },
      get points() {
        return other;
      },
    },
  ] as never);
  const record = (v: number, o?: number) => {
    const now = clock.now().getTime();
    points.push([now, v]);
    if (o !== undefined) other.push([now, o]);
  };
  const events = async (type: string) =>
    (
      await allTables(t.s).selectFrom('outbox').select(['payload']).where('type', '=', type).orderBy('seq').execute()
    ).map((r) => JSON.parse(r.payload).data);
  const saveGroup = (rules: unknown[], name = 'probes') =>
    saveConfigObject(t.s.db, 'group', name, { name, interval: '15s', rules }, 0, clock.now());

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    await t.workspace('home', { installationOwner: true });
    await t.workspace('shop');
  });
  beforeEach(async () => {
    points = [];
    other = [];
    await own(t.s.db).deleteFrom('monitoring_alerts').execute();
    await own(t.s.db).deleteFrom('monitoring_config').execute();
    await allTables(t.s).deleteFrom('outbox').where('type', 'like', 'alert.%').execute();
  });
  afterAll(async () => t?.close());

  const step = async (ev: RuleEvaluator, v: number, o?: number) => {
    clock.advance(15_000);
    record(v, o);
    await ev.tick(clock.now().getTime());
  };

  it('goes pending, fires after `for` once, and resolves with events', async () => {
    await saveGroup([
      {
        alert: 'ProbeDown',
        expr: 'probe_success == 0',
        for: '10s',
        labels: { severity: 'P2' },
        annotations: { summary: '{{ $labels.probe }} is down' },
      },
    ]);
    const ev = new RuleEvaluator(t.s, source);
    await step(ev, 0);
    expect((await listAlerts(t.s.db)).map((a) => a.state)).toEqual(['pending']);
    expect(await events('alert.firing')).toEqual([]);
    await step(ev, 0);
    await step(ev, 0);
    const [a] = await listAlerts(t.s.db, 'firing');
    expect(a).toMatchObject({ rule: 'ProbeDown', severity: 'P2', annotations: { summary: 'api is down' } });
    const fired = await events('alert.firing');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({
      rule: 'ProbeDown',
      group: 'probes',
      severity: 'P2',
      component: 'web_chat',
      labels: { alertname: 'ProbeDown', probe: 'api', component: 'web_chat', severity: 'P2' },
      endsAt: null,
      value: 0,
    });
    expect(fired[0].workspaceIds).toHaveLength(2);
    await step(ev, 1);
    expect(await listAlerts(t.s.db, 'resolved')).toHaveLength(1);
    const resolved = await events('alert.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0].fingerprint).toBe(fired[0].fingerprint);
    expect(resolved[0].endsAt).toBe(clock.now().toISOString());
    // It fails again: a new occurrence with the same fingerprint.
    await step(ev, 0);
    await step(ev, 0);
    expect(await events('alert.firing')).toHaveLength(2);
  });

  it('writes nothing in a cycle where no alert changed state, value or annotations', async () => {
    await saveGroup([
      {
        alert: 'ProbeLow',
        expr: 'probe_success < 5',
        for: '10s',
        labels: { severity: 'P3' },
        annotations: { summary: '{{ $labels.probe }} at {{ $value }}' },
      },
    ]);
    const ev = new RuleEvaluator(t.s, source);
    const rows = () => own(t.s.db).selectFrom('monitoring_alerts').selectAll().orderBy('id').execute();
    // Rows changed by the connection so far (SQLite; PostgreSQL compares the rows only).
    const changes = async () =>
      engine === 'sqlite' ? (await sql<{ n: number }>`select total_changes() as n`.execute(t.s.db)).rows[0]!.n : 0;
    await step(ev, 0, 1);
    await step(ev, 0, 1);
    await step(ev, 0, 1); // both fired and announced
    const before = await rows();
    expect(before.map((r) => [r.state, r.notified])).toEqual([
      ['firing', 1],
      ['firing', 1],
    ]);
    const n = await changes();
    await step(ev, 0, 1);
    expect(await changes()).toBe(n);
    expect(await rows()).toEqual(before); // last_eval_at too: the rows were not rewritten
    // One series' value changes: only its alert is written, with the new value and annotation.
    await step(ev, 0, 2);
    const after = await rows();
    const moved = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ value: 2, state: 'firing', last_eval_at: clock.now().toISOString() });
    expect(JSON.parse(moved[0]!.annotations)).toEqual({ summary: 'db at 2' });
    expect(await events('alert.firing')).toHaveLength(2);
  });

  it('drops a pending alert that clears without firing, and keeps firing for keep_firing_for', async () => {
    await saveGroup([{ alert: 'Flappy', expr: 'probe_success == 0', for: '30s', keep_firing_for: '30s' }]);
    const ev = new RuleEvaluator(t.s, source);
    await step(ev, 0);
    await step(ev, 1);
    expect(await listAlerts(t.s.db)).toEqual([]);
    for (let i = 0; i < 3; i++) await step(ev, 0);
    expect(await listAlerts(t.s.db, 'firing')).toHaveLength(1);
    await step(ev, 1); // keep since now
    await step(ev, 1); // 15 s
    expect(await listAlerts(t.s.db, 'firing')).toHaveLength(1);
    await step(ev, 1); // 30 s: resolved
    expect(await listAlerts(t.s.db, 'resolved')).toHaveLength(1);
    expect(await events('alert.resolved')).toHaveLength(1);
  });

  it('remembers a pending alert across a restart and never fires twice, even with two evaluators', async () => {
    await saveGroup([{ alert: 'ProbeDown', expr: 'probe_success == 0', for: '30s' }]);
    await step(new RuleEvaluator(t.s, source), 0);
    const [pending] = await listAlerts(t.s.db, 'pending');
    // A new process: the pending alert's start is kept, so it fires 30 s after the first evaluation.
    const a = new RuleEvaluator(t.s, source);
    const b = new RuleEvaluator(t.s, source);
    clock.advance(15_000);
    record(0);
    await Promise.all([a.tick(clock.now().getTime()), b.tick(clock.now().getTime())]);
    expect(await listAlerts(t.s.db, 'firing')).toEqual([]);
    clock.advance(15_000);
    record(0);
    await Promise.all([a.tick(clock.now().getTime()), b.tick(clock.now().getTime())]);
    const [firing] = await listAlerts(t.s.db, 'firing');
    expect(firing.id).toBe(pending.id);
    expect(firing.activeAt).toBe(pending.activeAt);
    expect(await events('alert.firing')).toHaveLength(1);
    expect(await listAlerts(t.s.db)).toHaveLength(1);
  });

  it('holds notifications while a silence or maintenance window matches, and announces when it ends', async () => {
    await saveGroup([{ alert: 'ProbeDown', expr: 'probe_success == 0' }]);
    const ends = new Date(clock.now().getTime() + 50_000).toISOString();
    await saveConfigObject(
      t.s.db,
      'silence',
      'deploy',
      {
        name: 'deploy',
        matchers: [{ name: 'probe', value: 'api', isRegex: false, isEqual: true }],
        endsAt: ends,
        createdBy: 'ops@example.com',
        comment: '发布中',
      },
      0,
      clock.now(),
    );
    const ev = new RuleEvaluator(t.s, source);
    await step(ev, 0);
    const [a] = await listAlerts(t.s.db, 'firing');
    expect(a.suppressedBy).toBe('silence:deploy');
    expect(await events('alert.firing')).toEqual([]);
    await step(ev, 0);
    await step(ev, 0);
    expect(await events('alert.firing')).toEqual([]);
    await step(ev, 0); // the silence ended
    expect(await events('alert.firing')).toHaveLength(1);
    expect((await listAlerts(t.s.db, 'firing'))[0].suppressedBy).toBeNull();
  });

  it('lets a system-down alert inhibit the per-component ones', async () => {
    await saveGroup([
      { alert: 'KefuDown', expr: 'probe_success{probe="db"} == 0', labels: { severity: 'P1', scope: 'system' } },
      { alert: 'ComponentDown', expr: 'probe_success{probe="api"} == 0', labels: { severity: 'P2' } },
    ]);
    await saveConfigObject(
      t.s.db,
      'inhibit',
      'system-down',
      {
        name: 'system-down',
        source_matchers: [{ name: 'scope', value: 'system', isRegex: false, isEqual: true }],
        target_matchers: [{ name: 'severity', value: 'P2|P3', isRegex: true, isEqual: true }],
        equal: [],
      },
      0,
      clock.now(),
    );
    const ev = new RuleEvaluator(t.s, source);
    await step(ev, 0, 0); // both fail; the source is not firing yet when the target is first seen
    await step(ev, 0, 0);
    const fired = (await events('alert.firing')).map((e) => e.rule);
    expect(fired).toContain('KefuDown');
    const component = (await listAlerts(t.s.db, 'firing')).find((x) => x.rule === 'ComponentDown')!;
    expect(component.suppressedBy).toBe('inhibit:system-down');
    expect(fired).not.toContain('ComponentDown');
  });

  it('records a rule whose expression fails at evaluation, without stopping the others', async () => {
    await saveGroup([
      { alert: 'Broken', expr: 'probe_success + on(component) probe_success > bool 1 and 1 > 2' },
      { alert: 'Fine', expr: 'probe_success == 0' },
    ]);
    const ev = new RuleEvaluator(t.s, source);
    await step(ev, 0, 0);
    expect(ev.errors.get('probes/Broken')).toMatch(/./);
    expect((await listAlerts(t.s.db)).map((a) => a.rule)).toEqual(['Fine', 'Fine']);
  });
});
