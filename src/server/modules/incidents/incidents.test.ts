/**
 * Incidents end to end through the API on both engines: contract, declaration with clocks
 * copied at declaration, compare-and-set transitions, warnings and breaches found by the worker
 * (once, with two workers at once), the technical director at a resolution breach, severity
 * re-targeting, the merchant's report (30-min support line), drills, and the monthly statement
 * with its CSV and both parties' sign-off. Times are +08:00; total 1 000 000 CNY.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { allSchedules, registerJobs } from '../../main.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => at(local).toISOString();

const contract = {
  total: 1000000,
  currency: 'CNY',
  term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
  promotions: [{ name: '双11', start: '2026-10-31T20:00:00+08:00', end: '2026-11-12T00:00:00+08:00' }],
  technicalDirector: { name: '王总监', phone: '13800000000' },
  contacts: [{ name: '李店长', email: 'owner@shop.example.com' }],
};

describe.each(engines)('incidents on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    t = await testApp(engine, { clock });
    const { owner, id: wsId } = await t.workspace('shop');
    const ops = await t.user(wsId, 'ops');
    const ops2 = await t.user(wsId, 'ops');
    const agent = await t.user(wsId, 'agent');
    const put = (c: Client, url: string, body: unknown) => c.request({ method: 'PUT', url, payload: body as object });
    expect((await put(owner, '/api/ops/contract', contract)).statusCode).toBe(200);
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    const tick = async () => {
      await scheduler.fire(
        allSchedules().find((x) => x.name === 'incidents.sla_check')!,
        clock.now(),
      );
      while ((await worker.tick()) > 0);
    };
    return { clock, owner, ops, ops2, agent, wsId, tick, put };
  }

  it('runs the fault path: declare, acknowledge once, warn, breach once, director, resolve, statement', async () => {
    const { clock, owner, ops, ops2, tick } = await setup();
    const res = await ops.post('/api/ops/incidents', { title: '工单流转卡住', severity: 'P2', component: 'tickets' });
    expect(res.statusCode).toBe(201);
    let inc = res.json();
    expect(inc).toMatchObject({
      number: 1,
      state: 'triggered',
      source: 'console',
      mode: 'real',
      respondBy: iso('2026-03-02T10:30:00'),
      resolveBy: iso('2026-03-02T14:00:00'),
    });
    expect(inc.clocks[0]).toMatchObject({
      respond: { minutes: 30 },
      resolve: { minutes: 240, remainingMs: 240 * 60_000 },
    });

    // Two people acknowledge at once: one wins, the other learns who.
    clock.set(at('2026-03-02T10:12:00'));
    const [a, b] = await Promise.all([
      ops.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' }),
      ops2.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const lost = [a, b].find((x) => x.statusCode === 409)!.json();
    expect(lost.error.code).toBe('conflict');
    expect(lost.error.message).toMatch(/acknowledged by /);
    inc = (await ops.get(`/api/ops/incidents/${inc.id}`)).json();
    expect(inc).toMatchObject({ state: 'acknowledged', acknowledgedAt: iso('2026-03-02T10:12:00') });
    expect(inc.clocks[0].respond).toMatchObject({ fulfilledAt: iso('2026-03-02T10:12:00'), breached: false });

    // 75 % of 240 min = 13:00: a warning; 14:00 exactly is not late; 14:00:00.001 is.
    clock.set(at('2026-03-02T13:00:00'));
    await tick();
    clock.set(at('2026-03-02T14:00:00'));
    await tick();
    inc = (await ops.get(`/api/ops/incidents/${inc.id}`)).json();
    expect(inc.timeline.map((e: { type: string }) => e.type)).toEqual(['declared', 'state', 'sla_warning']);
    expect(inc.directorEngagedAt).toBeNull();
    clock.set(at('2026-03-02T14:01:00'));
    await Promise.all([tick(), tick()]); // two workers at once
    await tick();
    inc = (await ops.get(`/api/ops/incidents/${inc.id}`)).json();
    expect(inc.timeline.map((e: { type: string }) => e.type)).toEqual([
      'declared',
      'state',
      'sla_warning',
      'sla_breach',
      'director_engaged',
    ]);
    expect(inc.timeline.at(-1).data).toMatchObject({ director: '王总监', contacts: ['李店长'] });
    expect(inc.directorEngagedAt).toBe(iso('2026-03-02T14:00:00'));
    const audit = await allTables(t.s)
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'incident.director_engaged')
      .execute();
    expect(audit).toHaveLength(1);

    // Resolved 15:30: 1 h 30 over → 2 started hours → 10 000.
    clock.set(at('2026-03-02T15:30:00'));
    const resolved = await ops.post(`/api/ops/incidents/${inc.id}/transitions`, {
      to: 'resolved',
      version: inc.version,
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().clocks[0].resolve).toMatchObject({
      breached: true,
      fulfilledAt: iso('2026-03-02T15:30:00'),
    });
    // Acknowledging a resolved incident is refused.
    const again = await ops.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'invalid_transition']);

    // The review: root cause and an action item, listed on the overview with MTTA/MTTR.
    const review = await ops.request({
      method: 'PUT',
      url: `/api/ops/incidents/${inc.id}/review`,
      payload: {
        impact: '工单 5.5 小时无法流转',
        rootCauseCategory: 'software',
        rootCause: '队列消费者死锁',
        actionItems: [{ title: '给消费者加超时', ownerId: ops.actor.userId, due: '2026-03-09' }],
      },
    });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({ minutesToAcknowledge: 12, minutesToResolve: 330 });
    const overview = (await ops.get('/api/ops/overview')).json();
    expect(overview.actionItems).toEqual([
      expect.objectContaining({ title: '给消费者加超时', incidentNumber: 1, done: false }),
    ]);
    expect(overview.stats).toEqual([
      {
        month: '2026-03',
        severity: 'P2',
        mtta: { count: 1, mean: 12, median: 12, p90: 12 },
        mttr: { count: 1, mean: 330, median: 330, p90: 330 },
      },
    ]);

    const st = (await ops.get('/api/ops/penalties/2026-03')).json();
    expect(st).toMatchObject({ configured: true, deduction: 10000, cap: 50000, capApplied: false });
    expect(st.lines).toHaveLength(1);
    expect(st.lines[0]).toMatchObject({ number: 1, severity: 'P2', hoursOver: 2, deductionCents: 1_000_000 });

    const csv = await ops.get('/api/ops/penalties/2026-03?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('1,工单流转卡住,P2,real,,2026-03-02T10:00:00+08:00');
    expect(csv.body).toContain(',10000.00,false,');
    const html = await ops.get('/api/ops/penalties/2026-03?format=html');
    expect(html.body).toContain('故障扣款月度对账单');

    // Both parties sign off, once each.
    expect((await ops.post('/api/ops/penalties/2026-03/sign-off', { party: 'merchant' })).statusCode).toBe(403);
    // The merchant's own ops engineer is not the vendor: the installation's ops sign for it.
    expect((await ops.post('/api/ops/penalties/2026-03/sign-off', { party: 'vendor' })).statusCode).toBe(403);
    const vendor = await t.user((await t.workspace('vendor', { installationOwner: true })).id, 'ops');
    const q = `?workspace=${owner.actor.workspaceId}`;
    expect((await vendor.post(`/api/ops/penalties/2026-03/sign-off${q}`, { party: 'vendor' })).statusCode).toBe(200);
    const signed = await owner.post('/api/ops/penalties/2026-03/sign-off', { party: 'merchant' });
    expect(
      signed
        .json()
        .signoffs.map((x: { party: string; current: boolean }) => [x.party, x.current])
        .sort(),
    ).toEqual([
      ['merchant', true],
      ['vendor', true],
    ]);
    expect((await owner.post('/api/ops/penalties/2026-03/sign-off', { party: 'merchant' })).json().error.code).toBe(
      'already_signed',
    );
  });

  it('re-targets from the original start on a severity change, tightens P1 in a promotion, and counts no drill', async () => {
    const { clock, ops: first } = await setup();
    let ops = first;
    let inc = (await ops.post('/api/ops/incidents', { title: '机器人离线', severity: 'P3' })).json();
    expect(inc.resolveBy).toBe(iso('2026-03-02T18:00:00'));
    clock.set(at('2026-03-02T10:20:00'));
    inc = (await ops.patch(`/api/ops/incidents/${inc.id}`, { version: inc.version, severity: 'P1' })).json();
    expect([inc.respondBy, inc.resolveBy]).toEqual([iso('2026-03-02T10:15:00'), iso('2026-03-02T12:00:00')]);
    // Re-targeted at 10:20, the P1 response (due 10:15) is breached at once; the timeline shows it at 10:15.
    expect(inc.timeline.slice(-2)).toMatchObject([
      { type: 'sla_breach', at: iso('2026-03-02T10:15:00'), data: { target: 'respond' } },
      { type: 'severity', data: { from: 'P3', to: 'P1' } },
    ]);
    // A stale version is refused.
    expect((await ops.patch(`/api/ops/incidents/${inc.id}`, { version: 1, title: 'x' })).statusCode).toBe(409);

    clock.set(at('2026-11-11T00:05:00'));
    ops = await t.signIn(first.actor.email); // months later: a new session
    const promo = (await ops.post('/api/ops/incidents', { title: '全渠道不可用', severity: 'P1' })).json();
    expect([promo.respondBy, promo.resolveBy]).toEqual([iso('2026-11-11T00:15:00'), iso('2026-11-11T01:05:00')]);
    expect(promo.clocks[0].promotion).toBe('双11');
    const drill = (
      await ops.post('/api/ops/incidents', { title: '演练：数据库宕机', severity: 'P1', mode: 'drill' })
    ).json();
    clock.set(at('2026-11-11T05:05:00'));
    for (const x of [promo, drill]) await ops.post(`/api/ops/incidents/${x.id}/transitions`, { to: 'resolved' });
    const st = (await ops.get('/api/ops/penalties/2026-11')).json();
    // 4 h over → 20 000; the drill is listed and deducts nothing.
    expect(
      st.lines.map((l: { mode: string; hoursOver: number; deductionCents: number }) => [
        l.mode,
        l.hoursOver,
        l.deductionCents,
      ]),
    ).toEqual([
      ['real', 4, 2_000_000],
      ['drill', 4, 0],
    ]);
    expect(st.deduction).toBe(20000);
    const open = (await ops.get('/api/ops/incidents?state=open')).json().items;
    expect(open.map((x: { title: string }) => x.title)).toEqual(['机器人离线']);
    expect(Object.keys(open[0])).toEqual(
      expect.arrayContaining([
        'id',
        'number',
        'severity',
        'state',
        'title',
        'source',
        'mode',
        'declaredAt',
        'respondBy',
        'resolveBy',
        'acknowledgedAt',
        'resolvedAt',
        'workspaceIds',
      ]),
    );
    expect((await ops.get('/api/ops/incidents?state=resolved,closed')).json().items).toHaveLength(2);
    expect((await ops.get('/api/ops/incidents?state=bogus')).statusCode).toBe(400);
  });

  it("takes a merchant's report on the 30-minute support line; agents may report but not manage", async () => {
    const { agent, ops } = await setup();
    const r = await agent.post('/api/ops/incidents/report', {
      title: '报表一直不出来',
      description: '月报 3 小时没生成',
    });
    expect(r.statusCode).toBe(201);
    const inc = (await ops.get(`/api/ops/incidents/${r.json().id}`)).json();
    expect(inc).toMatchObject({ source: 'merchant', severity: 'P3', respondBy: iso('2026-03-02T10:30:00') });
    expect(inc.resolveBy).toBe(iso('2026-03-02T18:00:00'));
    expect((await agent.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' })).statusCode).toBe(403);
    expect((await agent.get('/api/ops/incidents')).statusCode).toBe(403);
  });

  it('keeps the timeline append-only in the database', async () => {
    const { ops } = await setup();
    const inc = (await ops.post('/api/ops/incidents', { title: 'x', severity: 'P3' })).json();
    const db = allTables(t.s);
    await expect(
      db.updateTable('incident_timeline').set({ type: 'forged' }).where('incident_id', '=', inc.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('incident_timeline').where('incident_id', '=', inc.id).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});
