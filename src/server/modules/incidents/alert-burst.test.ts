/**
 * A storm of `alert.firing` events delivered in batches (the outbox's `handleBatch`: the audit
 * entries and the incidents consumer take runs of them in one transaction) ends exactly as
 * delivered one by one — the same incidents, timelines, memberships and audit entries, including
 * a mitigated incident taking back its own alert and another alert of its group opening a new one
 * — with far fewer transactions and statements, counted here on both engines.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenerScope, type Services } from '../../context.ts';
import { openDb, type DbHandle } from '../../db/index.ts';
import { memoryBus } from '../../lib/bus.ts';
import { manualClock } from '../../lib/clock.ts';
import { deliveryBatch, Events } from '../../lib/events/index.ts';
import { createLogger } from '../../lib/logger.ts';
import { allTables, engines, pgUrl, testApp, type TestApp } from '../../testing/harness.ts';
import type { AlertEvent } from '../monitoring/index.ts';
import { modules } from '../registry.ts';

const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const perRule = 30; // two rules' instances, interleaved, and five others: 65 events, four runs of deliveryBatch

type Outcome = {
  incidents: unknown[];
  timelines: Record<number, string[]>;
  members: string[];
  audit: Record<string, number>;
  statements: string[];
};

describe.each(engines)('a storm of firing alerts delivered in batches on %s', (engine) => {
  let t: TestApp | undefined;
  let counted: DbHandle | undefined;
  afterEach(async () => {
    await counted?.close();
    await t?.close();
  });

  /** Runs the scenario on a fresh installation, its deliveries through a dispatcher that batches or not. */
  async function scenario(batches: boolean): Promise<Outcome> {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    t = await testApp(engine, { clock });
    const home = await t.workspace('vendor', { installationOwner: true });
    let statements: string[] = [];
    counted = openDb({
      databaseUrl: engine === 'postgres' ? pgUrl : undefined,
      sqliteFile: join(t.env.dataDir, 'kefu.db'),
      pgSchema: t.env.pgSchema,
      onQuery: (q) => statements.push(q.trim()),
    });
    // The modules' listeners as services.ts registers them, on the counted connection.
    const ev = new Events({ db: counted.db, bus: memoryBus(), clock, log: createLogger('silent') });
    const s: Services = { ...t.s, db: counted.db, events: ev };
    for (const m of modules) {
      if (m.events) ev.declare(m.events);
      for (const l of m.listeners ?? [])
        ev.listen({
          name: `${m.name}.${l.name}`,
          on: l.on,
          handle: (e, scope) => l.handle(e, listenerScope(s, scope)),
          ...(batches && l.handleBatch && { handleBatch: (es, scope) => l.handleBatch!(es, listenerScope(s, scope)) }),
        });
    }
    const alert = (rule: string, instance: string): AlertEvent => ({
      alertId: `alr_${rule}_${instance}`,
      fingerprint: `fp-${rule}-${instance}`,
      rule,
      group: 'host',
      severity: 'P3',
      component: 'database',
      workspaceIds: [home.id],
      labels: { severity: 'P3', component: 'database', instance },
      annotations: { summary: `${rule} on ${instance}` },
      activeAt: at('2026-03-02T09:55:00'),
      startsAt: clock.now().toISOString(),
      endsAt: null,
      value: 1,
    });
    /** Committed without delivery (as the rule cycle's notify pass does), then delivered as a storm. */
    const storm = async (events: ['alert.firing' | 'alert.resolved', AlertEvent][]) => {
      const ids: string[] = [];
      for (const [type, a] of events)
        ids.push(
          await ev.write(t!.s.db, {
            type,
            workspaceId: home.id,
            actor: { type: 'system', id: null, name: null },
            ip: null,
            objectType: 'alert',
            objectId: a.fingerprint,
            data: a,
            at: clock.now().toISOString(),
          }),
        );
      statements = [];
      await ev.deliver(ids);
      return statements;
    };

    // Before the storm: rule Gone's incident, its one alert resolved (mitigated).
    await storm([['alert.firing', alert('Gone', 'h0')]]);
    clock.advance(60_000);
    await storm([['alert.resolved', { ...alert('Gone', 'h0'), endsAt: clock.now().toISOString() }]]);
    clock.advance(60_000);
    // The storm: two rules over 30 instances each, interleaved, two ungraded alerts, and rule Gone's
    // own alert again (rejoins the mitigated incident) and another of its instances (a new incident).
    const events: ['alert.firing', AlertEvent][] = [];
    for (let i = 0; i < perRule; i++) {
      events.push(['alert.firing', alert('DiskFull', `h${i}`)]);
      events.push(['alert.firing', alert('CpuHot', `h${i}`)]);
      if (i === 10) events.push(['alert.firing', alert('Gone', 'h0')]);
      if (i === 12) events.push(['alert.firing', { ...alert('Quiet', `h${i}`), severity: null }]);
      if (i === 25) events.push(['alert.firing', alert('Gone', 'h1')]);
      if (i === 26) events.push(['alert.firing', alert('Gone', 'h2')]);
    }
    events.push(['alert.firing', { ...alert('Quiet', 'last'), severity: null }]);
    const counts = await storm(events);

    const db = allTables(t.s);
    const incidents = await db
      .selectFrom('incidents')
      .select(['id', 'number', 'fingerprint', 'state', 'severity', 'title', 'declared_at'])
      .orderBy('number')
      .execute();
    const timelines: Record<number, string[]> = {};
    for (const i of incidents) {
      const rows = await db
        .selectFrom('incident_timeline')
        .select(['type', 'data'])
        .where('incident_id', '=', i.id)
        .orderBy('at')
        .orderBy('id')
        .execute();
      timelines[i.number] = rows.map((r) => `${r.type}:${(JSON.parse(r.data) as { alertId?: string }).alertId ?? ''}`);
    }
    const number = new Map(incidents.map((i) => [i.id, i.number]));
    const members = (await db.selectFrom('incident_alerts').selectAll().execute())
      .map((m) => `${number.get(m.incident_id)}:${m.fingerprint}:${m.firing}`)
      .sort();
    const audit: Record<string, number> = {};
    for (const r of await db.selectFrom('audit_log').select('action').execute())
      audit[r.action] = (audit[r.action] ?? 0) + 1;
    const outcome = {
      // (A group's key hashes the workspace ids, which differ between the two installations.)
      incidents: incidents.map(({ id: _, fingerprint, ...rest }) => ({ ...rest, group: fingerprint?.slice(0, 6) })),
      timelines,
      members,
      audit,
      statements: counts,
    };
    expect(await db.selectFrom('outbox').select('id').where('delivered_at', 'is', null).execute()).toEqual([]);
    await counted.close();
    counted = undefined;
    await t.close();
    t = undefined;
    return outcome;
  }

  it('ends as one by one, with a bounded number of transactions and statements', { timeout: 120_000 }, async () => {
    const one = await scenario(false);
    const batched = await scenario(true);
    const { statements: s1, ...rest1 } = one;
    const { statements: sb, ...restB } = batched;
    expect(restB).toEqual(rest1);

    // What the storm did (the same either way): DiskFull and CpuHot opened one incident each with
    // every instance on its timeline; Gone's mitigated incident took back h0; h1 opened a new one, h2 joined it.
    const byTitle = (title: string) =>
      (rest1.incidents as { title: string; number: number }[]).find((i) => i.title === title)!;
    expect(rest1.timelines[byTitle('DiskFull on h0').number].filter((e) => e.startsWith('alert:'))).toHaveLength(
      perRule,
    );
    expect(rest1.timelines[byTitle('CpuHot on h0').number].filter((e) => e.startsWith('alert:'))).toHaveLength(perRule);
    expect(rest1.timelines[byTitle('Gone on h0').number].filter((e) => e.startsWith('alert:'))).toEqual([
      'alert:alr_Gone_h0',
      'alert:alr_Gone_h0',
    ]);
    expect(rest1.timelines[byTitle('Gone on h1').number].filter((e) => e.startsWith('alert:'))).toEqual([
      'alert:alr_Gone_h1',
      'alert:alr_Gone_h2',
    ]);
    expect(rest1.incidents).toHaveLength(4);
    expect(rest1.audit['alert.firing']).toBe(1 + 2 * perRule + 5); // Gone's first, then the storm

    const count = (list: string[], re: RegExp) => list.filter((q) => re.test(q)).length;
    const begins = (list: string[]) => count(list, /^begin/i);
    const timelineWrites = (list: string[]) => count(list, /^insert into "?incident_timeline"?/i);
    const memberWrites = (list: string[]) => count(list, /^insert into "?incident_alerts"?/i);
    const auditWrites = (list: string[]) => count(list, /^insert into "?audit_log"?/i);
    const storm = 2 * perRule + 5;
    const runs = Math.ceil(storm / deliveryBatch);
    // One by one: a transaction per event and listener (audit, incidents), a timeline entry and a membership each.
    expect(begins(s1)).toBeGreaterThanOrEqual(2 * storm);
    expect(timelineWrites(s1)).toBeGreaterThanOrEqual(storm - 2);
    expect(auditWrites(s1)).toBeGreaterThanOrEqual(storm);
    // In batches: a transaction per run and listener; in the incidents' one timeline and membership
    // statement at the end, and one more before each of the 3 declarations and the membership check.
    // (What the declarations raise, incident.declared and its notifications, is delivered alone, as before.)
    const raised = begins(s1) - 2 * storm;
    expect(begins(sb)).toBe(2 * runs + raised);
    expect(begins(sb)).toBeLessThanOrEqual(begins(s1) / 4);
    expect(sb.length).toBeLessThanOrEqual(s1.length / 4);
    expect(memberWrites(sb)).toBeLessThanOrEqual(runs + 4);
    expect(auditWrites(sb)).toBe(runs + (auditWrites(s1) - storm));
  });
});
