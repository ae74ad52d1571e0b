/** Ticket SLA clocks end to end: policy matching, warnings and breaches found by the worker, pauses, escalation, re-targeting, reports. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { engines, testApp, type Client, type TestApp, allTables } from '../../testing/harness.ts';
import { SMTPServer } from 'smtp-server';
import { allSchedules, registerJobs } from '../../main.ts';

const calendar = {
  timezone: 'Asia/Shanghai',
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [
      d,
      [
        ['09:00', '12:00'],
        ['13:30', '18:00'],
      ],
    ]),
  ),
  holidays: 'CN',
  overrides: [],
};
const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('ticket SLAs on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup(config: Record<string, unknown> = {}) {
    const clock = manualClock(at('2026-03-02T09:00:00')); // a Monday
    t = await testApp(engine, { clock, config });
    const { owner, id: wsId } = await t.workspace('shop');
    const agent = await t.user(wsId, 'agent');
    const supervisor = await t.user(wsId, 'supervisor');
    const group = (
      await owner.post('/api/groups', {
        name: '售后组',
        supervisorId: supervisor.actor.userId,
        memberIds: [agent.actor.userId],
      })
    ).json();
    const cal = (await owner.post('/api/calendars', { name: '工作日', definition: calendar })).json();
    await owner.post('/api/sla-policies', {
      name: 'Urgent',
      conditions: { priorities: ['urgent'] },
      targets: { firstResponse: 15, resolution: 60 },
      calendarId: cal.id,
    });
    await owner.post('/api/sla-policies', {
      name: 'Standard',
      targets: { firstResponse: 30, resolution: 480 },
      calendarId: cal.id,
      warnAtShare: 0.75,
    });
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    /** What the scheduler and worker do every minute. */
    const tick = async () => {
      await scheduler.fire(
        allSchedules().find((x) => x.name === 'tickets.sla_check')!,
        clock.now(),
      );
      while ((await worker.tick()) > 0);
    };
    return { clock, owner, agent, supervisor, group, cal, tick };
  }
  const get = async (c: Client, id: string) => (await c.get(`/api/tickets/${id}`)).json();

  it('warns at 75 %, pauses while pending, breaches once, escalates and notifies', async () => {
    const { clock, owner, agent, supervisor, group, tick } = await setup();
    let tk = (
      await owner.post('/api/tickets', { subject: '物流三天没更新', groupId: group.id, assigneeId: agent.actor.userId })
    ).json();
    expect(tk.sla).toMatchObject({ policyName: 'Standard', businessHours: true });
    expect(tk.sla.targets.firstResponse).toMatchObject({
      dueAt: at('2026-03-02T09:30:00').toISOString(),
      paused: false,
      breached: false,
    });
    expect(tk.sla.targets.resolution.dueAt).toBe(at('2026-03-03T09:30:00').toISOString()); // 450 min on Monday, 30 on Tuesday

    clock.set(at('2026-03-02T09:23:00'));
    await tick();
    await tick();
    const notes = (await agent.get('/api/notifications')).json();
    expect(notes.items.map((n: { type: string }) => n.type)).toEqual(['sla.warning']);
    expect((await supervisor.get('/api/notifications')).json().unread).toBe(1);

    clock.set(at('2026-03-02T09:24:00'));
    tk = (await agent.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'pending' })).json();
    expect(tk.sla.targets.firstResponse.paused).toBe(true);
    clock.set(at('2026-03-02T10:00:00'));
    await tick();
    expect((await get(owner, tk.id)).sla.targets.firstResponse.breached).toBe(false);
    tk = (await agent.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'open' })).json();
    // 36 in-hours minutes of pause push the deadline from 09:30 to 10:06.
    expect(tk.sla.targets.firstResponse.dueAt).toBe(at('2026-03-02T10:06:00').toISOString());

    clock.set(at('2026-03-02T10:06:00'));
    await tick();
    expect((await get(owner, tk.id)).sla.targets.firstResponse.breached).toBe(false); // exactly at the deadline: not yet
    clock.set(at('2026-03-02T10:07:00'));
    await Promise.all([tick(), tick()]); // two nodes at once
    tk = await get(owner, tk.id);
    expect(tk.sla.targets.firstResponse).toMatchObject({
      breached: true,
      breachedAt: at('2026-03-02T10:06:00').toISOString(),
    });
    expect(tk.priority).toBe('high'); // escalated one step
    const alerts = await allTables(t.s)
      .selectFrom('sla_alerts')
      .select(['target', 'kind'])
      .where('subject_type', '=', 'ticket')
      .where('subject_id', '=', tk.id)
      .execute();
    expect(alerts.map((a) => `${a.target}:${a.kind}`).sort()).toEqual([
      'firstResponse:breach',
      'firstResponse:warning',
    ]);
    expect((await agent.get('/api/notifications')).json().items.map((n: { type: string }) => n.type)).toEqual([
      'sla.breached',
      'sla.warning',
    ]);
    const tl = (await owner.get(`/api/tickets/${tk.id}/timeline`)).json().items.map((e: { type: string }) => e.type);
    expect(tl.filter((x: string) => x === 'sla_breach')).toHaveLength(1);
    expect(tl).toContain('escalated');

    clock.set(at('2026-03-02T10:10:00'));
    tk = (await agent.post(`/api/tickets/${tk.id}/replies`, { body: '已催促快递公司' })).json();
    expect(tk.sla.targets.firstResponse.fulfilledAt).toBe(at('2026-03-02T10:10:00').toISOString());
    const audit = (await owner.get('/api/audit?action=sla.breached')).json().items;
    expect(audit).toHaveLength(1);
  });

  it('e-mails the assignee and the supervisor through a real SMTP server when one is configured', async () => {
    const received: { to: string; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (smtp.server.address() as { port: number }).port;
      const { clock, owner, agent, supervisor, group, tick } = await setup({
        smtpUrl: `smtp://127.0.0.1:${port}`,
        mailFrom: 'Kefu <sla@shop.example>',
      });
      // The mails are in the workspace's language (English here), one language only.
      expect((await owner.patch('/api/workspace', { defaultLanguage: 'en' })).statusCode).toBe(200);
      await owner.post('/api/tickets', { subject: '发票开错了', groupId: group.id, assigneeId: agent.actor.userId });
      clock.set(at('2026-03-02T09:31:00'));
      await tick(); // finds the breach and queues the mails
      await tick(); // delivers them
      // Found already past the deadline: the breach alone (a warning then would be noise), to both.
      await expect.poll(() => received.length).toBe(2);
      expect(received.map((m) => m.to).sort()).toEqual([agent.actor.email, supervisor.actor.email].sort());
      expect(received.every((m) => m.data.includes('SLA breached'))).toBe(true);
      const due = at('2026-03-02T09:30:00').toISOString();
      expect(received.every((m) => m.data.replace(/\r\n/g, '\n').includes(`\nFirst response: due ${due}\n`))).toBe(
        true,
      );
      expect(received.every((m) => !m.data.includes('=E5=B7=B2=E8=B6=85=E6=97=B6'))).toBe(true); // no 已超时
      expect(received[0].data).toContain('sla@shop.example');
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });

  it('re-targets from the original start when the priority changes, keeping the pauses', async () => {
    const { clock, owner } = await setup();
    let tk = (await owner.post('/api/tickets', { subject: 'VIP' })).json();
    clock.set(at('2026-03-02T09:10:00'));
    tk = (await owner.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'on_hold' })).json();
    clock.set(at('2026-03-02T09:40:00'));
    tk = (await owner.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'open' })).json();
    clock.set(at('2026-03-02T09:45:00'));
    tk = (await owner.patch(`/api/tickets/${tk.id}`, { version: tk.version, priority: 'urgent' })).json();
    expect(tk.sla.policyName).toBe('Urgent');
    // Urgent resolution: 60 business minutes from 09:00, plus the 30-minute hold → 10:30.
    expect(tk.sla.targets.resolution.dueAt).toBe(at('2026-03-02T10:30:00').toISOString());
    expect(tk.sla.targets.firstResponse.dueAt).toBe(at('2026-03-02T09:45:00').toISOString());
  });

  it('counts only business hours across lunch, nights and a public holiday, and sorts by next deadline', async () => {
    const { clock, owner: first } = await setup();
    clock.set(at('2026-09-30T17:50:00')); // the eve of National Day
    let owner = await t.signIn(first.actor.email); // months later: a new session
    const holiday = (await owner.post('/api/tickets', { subject: '节前最后一单' })).json();
    // 10 minutes on Sep 30, 20 after the holiday (Oct 1–7 off in 2026; Oct 8 is a Thursday at work).
    expect(holiday.sla.targets.firstResponse.dueAt).toBe(at('2026-10-08T09:20:00').toISOString());
    clock.set(at('2026-10-08T09:10:00'));
    owner = await t.signIn(first.actor.email);
    const fresh = (await owner.post('/api/tickets', { subject: '节后' })).json();
    expect(fresh.sla.targets.firstResponse.dueAt).toBe(at('2026-10-08T09:40:00').toISOString());
    const order = (await owner.get('/api/tickets?sort=deadline')).json().items.map((x: { id: string }) => x.id);
    expect(order).toEqual([holiday.id, fresh.id]);
  });

  it('matches policies by customer tier, first match wins, and re-matches when the priority changes', async () => {
    const { owner, cal } = await setup();
    const vip = (
      await owner.post('/api/sla-policies', {
        name: 'VIP',
        conditions: { customerTiers: ['vip'] },
        targets: { firstResponse: 5 },
        calendarId: cal.id,
      })
    ).json();
    const list = (await owner.get('/api/sla-policies')).json().items.map((p: { id: string }) => p.id);
    await owner.post('/api/sla-policies/order', { ids: [vip.id, ...list.filter((id: string) => id !== vip.id)] });
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'vip@example.com', body: 'hi' },
    });
    const customerId = (await owner.get('/api/conversations')).json().items[0].customerId;
    expect((await owner.patch(`/api/customers/${customerId}`, { tier: 'vip' })).json().tier).toBe('vip');
    const vipTicket = (await owner.post('/api/tickets', { subject: 'vip', customerId })).json();
    expect(vipTicket.sla.policyName).toBe('VIP');
    const plain = (await owner.post('/api/tickets', { subject: 'plain' })).json();
    expect(plain.sla.policyName).toBe('Standard');
    const urgent = (
      await owner.patch(`/api/tickets/${plain.id}`, { version: plain.version, priority: 'urgent' })
    ).json();
    expect(urgent.sla.policyName).toBe('Urgent');
    expect((await owner.post('/api/sla-policies/order', { ids: [vip.id] })).statusCode).toBe(409);
  });

  it('reports SLA achievement and response times in business minutes', async () => {
    const { clock, owner } = await setup();
    const a = (await owner.post('/api/tickets', { subject: 'fast' })).json();
    clock.set(at('2026-03-02T09:10:00'));
    await owner.post(`/api/tickets/${a.id}/replies`, { body: 'hi' });
    const b = (await owner.post('/api/tickets', { subject: 'slow' })).json();
    clock.set(at('2026-03-02T11:50:00'));
    await owner.post(`/api/tickets/${b.id}/replies`, { body: 'sorry' });
    const r = (await owner.get(`/api/reports/sla?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z`)).json();
    expect(r.tickets).toBe(2);
    expect(r.targets.firstResponse).toMatchObject({ met: 1, breached: 1, achievement: 50 });
    expect(r.firstResponseMinutes).toMatchObject({ count: 2, median: 85 }); // 10 and 160 minutes
  });

  it('refuses bad calendars and policies with every problem named', async () => {
    const { owner, cal } = await setup();
    const overlap = await owner.post('/api/calendars', {
      name: 'bad',
      definition: {
        ...calendar,
        hours: {
          mon: [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
          tue: [['18:00', '09:00']],
        },
      },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().error.issues.length).toBeGreaterThanOrEqual(2);
    expect(
      (await owner.post('/api/calendars', { name: 'zone', definition: { ...calendar, timezone: 'Mars/Base' } }))
        .statusCode,
    ).toBe(400);
    expect((await owner.post('/api/sla-policies', { name: 'none', targets: {}, calendarId: cal.id })).statusCode).toBe(
      400,
    );
    expect(
      (await owner.post('/api/sla-policies', { name: 'cal', targets: { firstResponse: 5 }, calendarId: 'cal_nope' }))
        .statusCode,
    ).toBe(400);
    expect((await owner.get('/api/sla-policies')).json().items.map((p: { name: string }) => p.name)).toEqual([
      'Urgent',
      'Standard',
    ]);
  });
});

describe.each(engines)('a new policy and tickets without one, on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('applies a new "all tickets" policy to unsolved tickets that had none, timed from their creation (defect 5)', async () => {
    const clock = manualClock(at('2026-03-02T09:00:00'));
    t = await testApp(engine, { clock });
    const { owner } = await t.workspace('shop');
    const open = (await owner.post('/api/tickets', { subject: '没有 SLA 的工单' })).json();
    const solved = (await owner.post('/api/tickets', { subject: '已解决' })).json();
    await owner.patch(`/api/tickets/${solved.id}`, { version: solved.version, status: 'solved' });
    expect(open.sla).toBeNull();
    clock.advance(3600_000);
    const cal = (await owner.post('/api/calendars', { name: '工作日', definition: calendar })).json();
    await owner.post('/api/sla-policies', {
      name: 'Everything',
      targets: { firstResponse: 30, resolution: 480 },
      calendarId: cal.id,
    });
    const after = (await owner.get(`/api/tickets/${open.id}`)).json();
    expect(after.sla).toMatchObject({ policyName: 'Everything' });
    // Timed from the ticket's creation at 09:00: the 30-minute first response was due at 09:30.
    expect(after.sla.targets.firstResponse).toMatchObject({
      dueAt: at('2026-03-02T09:30:00').toISOString(),
      breached: true,
    });
    expect((await owner.get(`/api/tickets/${solved.id}`)).json().sla).toBeNull();
  });
});
