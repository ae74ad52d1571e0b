/**
 * Escalation on both engines: steps go to the on-call person of a rotation, then to a person,
 * exactly once with two workers at once; an acknowledgement stops them; an acknowledgement
 * without progress re-triggers the incident and the policy starts again; inside a promotion
 * window the promotion roster is called. Times are +08:00 (2026-03-02 is a Monday).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../lib/clock.ts';
import { JobWorker } from '../../../lib/jobs/worker.ts';
import { Scheduler } from '../../../lib/jobs/scheduler.ts';
import { allSchedules, registerJobs } from '../../../main.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../../testing/harness.ts';
import { notifyIncident } from '../notify.ts';
import { own } from '../schema.ts';
import { escalationMail } from './escalate.ts';

const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('escalation on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup(promotions: { name: string; start: string; end: string }[] = [], smtp = false) {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    // Mail is queued as jobs; nothing listens on port 9 and a test reads the queue.
    // Loopback receivers (the channel test's webhook) pass the SSRF guard only when allow-listed.
    t = await testApp(engine, {
      clock,
      config: { outboundAllowList: '127.0.0.1', ...(smtp ? { smtpUrl: 'smtp://127.0.0.1:9' } : {}) },
    });
    const { owner, id } = await t.workspace('vendor');
    const [a, b, c] = [await t.user(id, 'ops'), await t.user(id, 'ops'), await t.user(id, 'ops')];
    const put = (cl: Client, url: string, body: unknown) => cl.request({ method: 'PUT', url, payload: body as object });
    await put(owner, '/api/ops/contract', {
      total: 1000000,
      term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
      promotions,
    });
    const rot = (
      await owner.post('/api/ops/oncall/rotations', {
        name: '一线值班',
        handoff: 'weekly',
        handoffTime: '09:00',
        handoffWeekday: 0,
        startDate: '2026-02-23',
        participants: [a.actor.userId, b.actor.userId],
      })
    ).json();
    const promo = (
      await owner.post('/api/ops/oncall/rotations', {
        name: '大促值班',
        kind: 'promotion',
        handoff: 'daily',
        startDate: '2026-02-01',
        participants: [c.actor.userId],
      })
    ).json();
    const policy = await put(owner, '/api/ops/escalation-policy', {
      steps: [
        { notify: [{ type: 'rotation', id: rot.id }], waitMinutes: 10 },
        { notify: [{ type: 'user', id: owner.actor.userId }], waitMinutes: 10 },
      ],
      repeat: 0,
      reackMinutes: 30,
    });
    expect(policy.statusCode, policy.body).toBe(200);
    const workers = [0, 1].map(() => {
      const w = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
      registerJobs(w, t.s);
      return w;
    });
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    // What two nodes do every minute, at the same time.
    const tick = async () => {
      await scheduler.fire(
        allSchedules().find((x) => x.name === 'incidents.escalate')!,
        clock.now(),
      );
      await Promise.all(
        workers.map(async (w) => {
          while ((await w.tick()) > 0);
        }),
      );
    };
    return { clock, owner, a, b, c, rot, promo, tick };
  }
  const escalations = async (c: Client, id: string) =>
    (await c.get(`/api/ops/incidents/${id}`))
      .json()
      .timeline.filter((e: { type: string }) => e.type === 'escalated')
      .map((e: { data: { step: number; round: number; people: string[] } }) => [
        e.data.step,
        e.data.round,
        e.data.people,
      ]);

  it('calls the on-call person, then the next step, once each; stops on acknowledgement; re-triggers without progress', async () => {
    const { clock, owner, a, rot, tick } = await setup();
    const oncall = (await owner.get('/api/ops/oncall')).json();
    const first = oncall.rotations.find((r: { id: string }) => r.id === rot.id);
    // Weekly from Mon 2026-02-23 09:00: a, then b from Mon 03-02 09:00.
    expect(first.shifts.slice(0, 2).map((s: { userId: string; start: string }) => [s.userId, s.start])).toEqual([
      [expect.any(String), at('2026-03-02T09:00:00').toISOString()],
      [a.actor.userId, at('2026-03-09T09:00:00').toISOString()],
    ]);
    const bName = first.shifts[0].name;
    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P2' })).json();
    await tick();
    await tick();
    expect(await escalations(owner, inc.id)).toEqual([[1, 1, [bName]]]);
    clock.set(at('2026-03-02T10:10:00'));
    await tick();
    clock.set(at('2026-03-02T10:30:00'));
    await tick();
    expect(await escalations(owner, inc.id)).toEqual([
      [1, 1, [bName]],
      [2, 1, ['Owner vendor']],
    ]);

    clock.set(at('2026-03-02T10:35:00'));
    await owner
      .post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'triggered' })
      .then((r) => expect(r.statusCode).toBe(409));
    const ack = await a.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' });
    expect(ack.statusCode).toBe(200);
    // Re-triggered by hand → the policy would start again; acknowledged → it stops.
    clock.set(at('2026-03-02T11:04:00'));
    await tick();
    expect(await escalations(owner, inc.id)).toHaveLength(2);
    // 30 min after the acknowledgement without mitigation: re-triggered, and the steps start again.
    clock.set(at('2026-03-02T11:05:00'));
    await tick();
    await tick();
    const detail = (await owner.get(`/api/ops/incidents/${inc.id}`)).json();
    expect(detail.state).toBe('triggered');
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'state').at(-1).data).toMatchObject({
      from: 'acknowledged',
      to: 'triggered',
      via: 'escalation',
    });
    expect(await escalations(owner, inc.id)).toEqual([
      [1, 1, [bName]],
      [2, 1, ['Owner vendor']],
      [1, 1, [bName]],
    ]);
  });

  it('calls the promotion roster inside a promotion window', async () => {
    const { owner, c, tick } = await setup([
      { name: '三八节', start: '2026-03-01T00:00:00+08:00', end: '2026-03-09T00:00:00+08:00' },
    ]);
    const oncall = (await owner.get('/api/ops/oncall')).json();
    expect(oncall.promotion).toBe('三八节');
    expect(oncall.rotations.filter((r: { active: boolean }) => r.active).map((r: { name: string }) => r.name)).toEqual([
      '大促值班',
    ]);
    const inc = (await owner.post('/api/ops/incidents', { title: '大促下单失败', severity: 'P1' })).json();
    await tick();
    const cName = oncall.rotations.find((r: { kind: string }) => r.kind === 'promotion').participants[0].name;
    expect(await escalations(owner, inc.id)).toEqual([[1, 1, [cName]]]);
    expect(c.actor.userId).toBeTruthy();
  });

  it('calls every active member of a group once (also when one of them is on call), and refuses unknown groups', async () => {
    const { owner, b, c, rot, tick } = await setup();
    const names = new Map<string, string>(
      (await owner.get('/api/users/directory')).json().items.map((u: { id: string; name: string }) => [u.id, u.name]),
    );
    const group = await owner.post('/api/groups', { name: '数据库组', memberIds: [b.actor.userId, c.actor.userId] });
    expect(group.statusCode, group.body).toBe(200);
    const put = (body: unknown) =>
      owner.request({ method: 'PUT', url: '/api/ops/escalation-policy', payload: body as object });
    const step = (notify: unknown[]) => ({ steps: [{ notify, waitMinutes: 10 }] });
    expect((await put(step([{ type: 'group', id: 'grp_nope' }]))).json().error.message).toContain('unknown group');
    const other = await t.workspace('merchant');
    const foreign = (await other.owner.post('/api/groups', { name: '别家的组', memberIds: [] })).json();
    expect((await put(step([{ type: 'group', id: foreign.id }]))).statusCode).toBe(400);
    expect((await put(step([{ type: 'group' }]))).statusCode).toBe(400);
    expect(
      (
        await put(
          step([
            { type: 'rotation', id: rot.id },
            { type: 'group', id: group.json().id },
          ]),
        )
      ).statusCode,
    ).toBe(200);
    const got = (await owner.get('/api/ops/escalation-policy')).json();
    expect(got.groups).toEqual([{ id: group.json().id, name: '数据库组' }]);
    expect(got.policy.steps[0].notify[1]).toEqual({ type: 'group', id: group.json().id });

    // On call now (Mon 03-02 10:00) is b, who is also in the group: b and c are called, each once.
    const inc = (await owner.post('/api/ops/incidents', { title: '主库只读', severity: 'P1' })).json();
    await tick();
    await tick();
    const rows = await escalations(owner, inc.id);
    expect(rows).toHaveLength(1);
    expect([...rows[0][2]].sort()).toEqual([names.get(b.actor.userId), names.get(c.actor.userId)].sort());
  });

  it('e-mails each person a one-click acknowledge link of their own, which acknowledges once', async () => {
    const { owner } = await setup();
    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P2' })).json();
    const row = await own(t.s.db)
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', inc.id)
      .executeTakeFirstOrThrow();
    const mails = [await escalationMail(t.s, row, 'a@ops.example'), await escalationMail(t.s, row, 'b@ops.example')];
    const links = mails.map((m) => /一键确认：(\S+)/.exec(m.text)![1]);
    expect(new Set(links).size).toBe(2);
    expect(mails[0].text).toContain(`/ops/incidents/${inc.id}`);
    const path = (link: string) => new URL(link).pathname;
    expect((await t.app.inject({ method: 'GET', url: path(links[0]) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: path(links[0]), payload: '' })).statusCode).toBe(200);
    expect((await owner.get(`/api/ops/incidents/${inc.id}`)).json().state).toBe('acknowledged');
    expect((await t.app.inject({ method: 'POST', url: path(links[0]), payload: '' })).statusCode).toBe(410);
  });

  it('shows who the policy calls now and next on the incident and the overview, across a shift change', async () => {
    const { clock, owner, a, b, rot } = await setup();
    const names = new Map<string, string>(
      (await owner.get('/api/ops/oncall'))
        .json()
        .rotations.flatMap((r: { participants: { id: string; name: string }[] }) => r.participants)
        .map((p: { id: string; name: string }) => [p.id, p.name]),
    );
    // A minute before Monday's hand-off (the session would expire a week on, so the clock goes back).
    clock.set(at('2026-03-02T08:59:00'));
    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P2' })).json();
    const seen = async () => {
      const fromIncident = (await owner.get(`/api/ops/incidents/${inc.id}`)).json().onCall;
      const fromOverview = (await owner.get('/api/ops/overview')).json().onCall;
      expect(fromOverview).toEqual(fromIncident);
      // The policy's only rotation step names 一线值班; the promotion roster is not in force.
      expect(fromIncident.promotion).toBeNull();
      expect(fromIncident.rotations.map((r: { id: string }) => r.id)).toEqual([rot.id]);
      const r = fromIncident.rotations[0];
      return [r.now?.userId, r.now?.name, r.now?.end, r.next?.userId, r.next?.name, r.next?.start];
    };
    const [handoff, monday] = ['2026-03-02T09:00:00', '2026-03-09T09:00:00'].map((x) => at(x).toISOString());
    // Weekly from Mon 02-23 09:00: a until 09:00 today, then b until Mon 03-09 09:00.
    const bNow = [b.actor.userId, names.get(b.actor.userId)];
    const aNow = [a.actor.userId, names.get(a.actor.userId)];
    expect(await seen()).toEqual([...aNow, handoff, ...bNow, handoff]);
    clock.set(at('2026-03-02T09:00:00'));
    expect(await seen()).toEqual([...bNow, monday, ...aNow, monday]);
  });

  it('names the person on call in the escalation e-mail', async () => {
    const { owner, b, tick } = await setup([], true);
    const bName = (await owner.get('/api/ops/oncall'))
      .json()
      .rotations.flatMap((r: { participants: { id: string; name: string }[] }) => r.participants)
      .find((p: { id: string }) => p.id === b.actor.userId).name;
    await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P2' });
    await tick();
    const mails = (
      await allTables(t.s).selectFrom('jobs').select('payload').where('type', '=', 'mail.send').execute()
    ).map((j) => JSON.parse(j.payload) as { to: string; text: string });
    const escalation = mails.filter((m) => m.text.includes('请尽快确认处理'));
    expect(escalation.length).toBeGreaterThan(0);
    for (const m of escalation) expect(m.text).toContain(`请尽快确认处理。当前值班：${bName}。`);
  });

  it('names the person on call in the group-chat notifications of the incident (not once it is resolved)', async () => {
    const { clock, owner, b, rot } = await setup();
    const got: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (got.push(body), res.writeHead(204).end()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const hook = await owner.post('/api/ops/notifiers', {
        name: 'Webhook',
        kind: 'webhook',
        config: { url, secret: 'whsec-0123456789abcdef' },
      });
      expect(hook.statusCode, hook.body).toBe(200);
      const policy = await owner.request({
        method: 'PUT',
        url: '/api/ops/escalation-policy',
        payload: { steps: [{ notify: [{ type: 'rotation', id: rot.id }, { type: 'channels' }], waitMinutes: 10 }] },
      });
      expect(policy.statusCode, policy.body).toBe(200);
      const bName = (await owner.get('/api/ops/oncall'))
        .json()
        .rotations.flatMap((r: { participants: { id: string; name: string }[] }) => r.participants)
        .find((p: { id: string }) => p.id === b.actor.userId).name;
      const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
      registerJobs(worker, t.s);
      const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P2' })).json();
      while ((await worker.tick()) > 0);
      expect(got.length).toBeGreaterThan(0);
      for (const body of got) expect(JSON.parse(body).text).toContain(`当前值班：${bName}`);
      // Resolved: nobody is waited for, so nobody is named.
      expect((await owner.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'resolved' })).statusCode).toBe(200);
      const before = got.length;
      const row = await own(t.s.db)
        .selectFrom('incidents')
        .selectAll()
        .where('id', '=', inc.id)
        .executeTakeFirstOrThrow();
      await notifyIncident(t.s, row, 'escalation');
      while ((await worker.tick()) > 0);
      expect(got.length).toBe(before + 1);
      expect(JSON.parse(got.at(-1)!).text).not.toContain('当前值班');
    } finally {
      server.close();
    }
  });
});
