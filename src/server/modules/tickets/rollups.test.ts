/**
 * The rollups kept as tickets change (SLA outcomes per day and policy, counts by status, tags,
 * searchable text) equal a full recount from the tickets after a random run of everyday
 * operations: creating, replying, moving through statuses, re-prioritising (policy re-match),
 * tagging, merging, and time passing with the SLA worker raising breaches and escalating.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SlaState } from '../../../shared/tickets-api.ts';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { allSchedules, registerJobs } from '../../main.ts';
import { allTables, engines, testApp, testPassword, type TestApp } from '../../testing/harness.ts';
import { outcomeRows, storedSlaDaily, sumRows } from '../sla/index.ts';
import { transitions } from './model.ts';
import { slaOutcomeOf } from './rollup.ts';

const calendar = {
  timezone: 'Asia/Shanghai',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
  holidays: 'CN',
  overrides: [],
};

/** Mulberry32: a seeded run, the same on both engines. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(engines)('ticket rollups on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('equal a full recount after a random run of everyday operations', async () => {
    const clock = manualClock(new Date('2026-03-02T01:00:00Z')); // Monday 09:00 in Shanghai
    t = await testApp(engine, { clock });
    const { owner: signedIn, id: ws } = await t.workspace('shop');
    // An API token: the run spans weeks of clock time, longer than a session stays idle.
    const token = (
      await signedIn.post('/api/tokens', {
        name: 'rollups',
        scopes: ['tickets.read', 'tickets.manage', 'settings.manage', 'reports.read'],
        password: testPassword,
      })
    ).json().secret as string;
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
    const owner = {
      get: (url: string) => call('GET', url),
      post: (url: string, body?: object) => call('POST', url, body),
      patch: (url: string, body?: object) => call('PATCH', url, body),
    };
    const agent = await t.user(ws, 'agent');
    const cal = (await owner.post('/api/calendars', { name: '工作日', definition: calendar })).json();
    for (const [name, conditions, targets] of [
      ['Urgent', { priorities: ['urgent'] }, { firstResponse: 15, resolution: 60 }],
      ['VIP', { tags: ['vip'] }, { firstResponse: 20, nextResponse: 30, resolution: 240 }],
      ['Standard', {}, { firstResponse: 30, resolution: 480 }],
    ] as const)
      expect(
        (await owner.post('/api/sla-policies', { name, conditions, targets, calendarId: cal.id })).statusCode,
      ).toBe(200);
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    const check = allSchedules().find((x) => x.name === 'tickets.sla_check')!;

    const r = rng(20261205);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
    const ids: string[] = [];
    const current = async (id: string) => (await owner.get(`/api/tickets/${id}`)).json();
    for (let step = 0; step < 160; step++) {
      const op =
        ids.length < 3 ? 'create' : pick(['create', 'create', 'reply', 'status', 'priority', 'tags', 'merge', 'time']);
      const id = ids.length ? pick(ids) : '';
      if (op === 'create') {
        const res = await owner.post('/api/tickets', {
          subject: pick(['申请开发票', '退货地址在哪', '物流没有更新', 'Refund SO-88']),
          priority: pick(['low', 'normal', 'high', 'urgent']),
          status: pick(['new', 'open']),
          tags: r() < 0.3 ? ['vip'] : [],
          assigneeId: r() < 0.5 ? agent.actor.userId : null,
        });
        expect(res.statusCode, res.body).toBe(200);
        ids.push(res.json().id);
      } else if (op === 'reply') {
        const tk = await current(id);
        const next = r() < 0.3 ? pick(transitions[tk.status] ?? []) : undefined;
        await owner.post(`/api/tickets/${id}/replies`, { body: `回复 ${step}`, public: r() < 0.7, status: next });
      } else if (op === 'status' || op === 'priority' || op === 'tags') {
        const tk = await current(id);
        const change =
          op === 'status'
            ? { status: pick(transitions[tk.status] ?? [tk.status]) }
            : op === 'priority'
              ? { priority: pick(['low', 'normal', 'high', 'urgent']) }
              : { tags: r() < 0.5 ? ['vip', `t${step}`] : [] };
        await owner.patch(`/api/tickets/${id}`, { version: tk.version, ...change });
      } else if (op === 'merge') {
        await owner.post(`/api/tickets/${id}/merge`, { intoId: pick(ids) });
      } else {
        clock.advance(Math.floor(r() * 8 * 3600_000));
        await scheduler.fire(check, clock.now());
        while ((await worker.tick()) > 0);
      }
    }

    const db = allTables(t.s);
    const tickets = await db.selectFrom('tickets').selectAll().where('workspace_id', '=', ws).execute();
    // Something happened worth counting: breaches, merges, several policies and statuses.
    const states = tickets.map((x) => (x.sla_state ? (JSON.parse(x.sla_state) as SlaState) : null));
    expect(states.some((s) => Object.values(s?.targets ?? {}).some((c) => c.breached))).toBe(true);
    expect(tickets.some((x) => x.merged_into_id)).toBe(true);
    expect(new Set(states.map((s) => s?.policyName)).size).toBeGreaterThanOrEqual(3);

    const recount = sumRows(
      tickets
        .map(slaOutcomeOf)
        .filter((o) => o !== null)
        .flatMap(outcomeRows),
    );
    expect(await storedSlaDaily(t.s, ws, 'ticket')).toEqual(recount);

    const counts = await db
      .selectFrom('ticket_status_counts')
      .select(['status', 'n'])
      .where('workspace_id', '=', ws)
      .execute();
    const expected: Record<string, number> = {};
    for (const x of tickets) if (!x.merged_into_id) expected[x.status] = (expected[x.status] ?? 0) + 1;
    expect(Object.fromEntries(counts.filter((c) => Number(c.n) !== 0).map((c) => [c.status, Number(c.n)]))).toEqual(
      expected,
    );

    const tags = await db.selectFrom('ticket_tags').select(['ticket_id', 'tag']).execute();
    expect(tags.map((x) => `${x.ticket_id} ${x.tag}`).sort()).toEqual(
      tickets.flatMap((x) => (JSON.parse(x.tags) as string[]).map((tag) => `${x.id} ${tag}`)).sort(),
    );

    const search = new Map(
      (await db.selectFrom('ticket_search').selectAll().execute()).map((x) => [x.ticket_id, x.body]),
    );
    const bodies = await db
      .selectFrom('ticket_events')
      .select(['ticket_id', 'body'])
      .where('body', 'is not', null)
      .execute();
    for (const x of tickets) expect(search.get(x.id)?.startsWith(x.subject)).toBe(true);
    for (const e of bodies) expect(search.get(e.ticket_id)).toContain(e.body);

    // The report reads the rollup: its counts are the tickets' own.
    const report = (await owner.get('/api/reports/sla?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z')).json();
    const live = tickets.filter((x) => !x.merged_into_id);
    expect(report.tickets).toBe(live.length);
    const first = live.map((x) => (x.sla_state ? (JSON.parse(x.sla_state) as SlaState).targets.firstResponse : null));
    expect(report.targets.firstResponse).toMatchObject({
      breached: first.filter((c) => c?.breached).length,
      met: first.filter((c) => c && !c.breached && c.fulfilledAt).length,
    });
  }, 120_000); // a random run of operations: 21 s on PostgreSQL at load 20, over the 30 s default at load 25
});
