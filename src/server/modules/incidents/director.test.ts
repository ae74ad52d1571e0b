/**
 * The technical director's e-mail at a resolution breach (技术总监介入) carries a signed link of
 * their own, like the escalation e-mails: while the incident is still triggered it acknowledges
 * once from a phone without signing in; once someone has acknowledged, it shows who, with no
 * button. The merchant's contacts are told without a link. Times are +08:00.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { allSchedules, registerJobs } from '../../main.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
type Mail = { to: string; subject: string; text: string };

describe.each(engines)('the technical director at a breach on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    // Mail is queued as jobs; nothing listens on this port and the test reads the queue.
    t = await testApp(engine, {
      clock,
      config: { smtpUrl: 'smtp://127.0.0.1:9', publicUrl: 'https://kefu.example.com' },
    });
    const { owner } = await t.workspace('vendor');
    const put = await owner.request({
      method: 'PUT',
      url: '/api/ops/contract',
      payload: {
        total: 1000000,
        term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
        technicalDirector: { name: '王总监', email: 'director@vendor.example.com' },
        contacts: [{ name: '李店长', email: 'owner@shop.example.com' }],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    const breach = async (local: string) => {
      clock.set(at(local));
      await scheduler.fire(
        allSchedules().find((x) => x.name === 'incidents.sla_check')!,
        clock.now(),
      );
      // Run the listeners' jobs, but not the mail jobs (their SMTP server does not exist): read them.
      await worker.tick();
    };
    const mails = async (): Promise<Mail[]> =>
      (
        await allTables(t.s)
          .selectFrom('jobs')
          .select('payload')
          .where('type', '=', 'mail.send')
          .orderBy('id')
          .execute()
      ).map((j) => JSON.parse(j.payload) as Mail);
    return { owner, breach, mails };
  }
  const linkOf = (m: Mail, label: string) => {
    const line = m.text.split('\n').find((l) => l.includes(label));
    return line ? new URL(/https:\/\/\S+/.exec(line)![0]).pathname : null;
  };

  it('mails the director a one-click acknowledge link that works once without signing in', async () => {
    const { owner, breach, mails } = await setup();
    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P1' })).json();
    await breach('2026-03-02T12:01:00'); // P1: resolve within 2 h
    const all = await mails();
    const director = all.find((m) => m.to === 'director@vendor.example.com')!;
    expect(director.subject).toBe('[P1] 故障 #1 超过解决时限，技术总监介入');
    expect(director.text).toContain('技术总监 王总监 已介入');
    expect(director.text).toContain(`https://kefu.example.com/ops/incidents/${inc.id}`);
    const link = linkOf(director, '一键确认：')!;
    expect(director.text).not.toMatch(/Acknowledge|Open:/); // one language, the workspace's
    expect(link).toMatch(/^\/api\/ops\/ack\/\S{20,}$/);
    // The merchant's contact is told, without a link that could acknowledge the vendor's incident.
    const contact = all.find((m) => m.to === 'owner@shop.example.com')!;
    expect(contact.text).toContain('技术总监 王总监 已介入');
    expect(contact.text).not.toContain('/api/ops/ack/');

    const page = await t.app.inject({ method: 'GET', url: link });
    expect([page.statusCode, page.body.includes('<form method="post"')]).toEqual([200, true]);
    const ack = await t.app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'text/plain' },
      payload: '',
    });
    expect(ack.statusCode).toBe(200);
    expect((await owner.get(`/api/ops/incidents/${inc.id}`)).json()).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'director@vendor.example.com',
    });
    const again = await t.app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'text/plain' },
      payload: '',
    });
    expect(again.statusCode).toBe(410);
  });

  it('gives the director a status link (no button) when the incident was already acknowledged', async () => {
    const { owner, breach, mails } = await setup();
    const inc = (await owner.post('/api/ops/incidents', { title: '客服消息延迟', severity: 'P1' })).json();
    expect((await owner.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' })).statusCode).toBe(200);
    await breach('2026-03-02T12:01:00');
    const director = (await mails()).find((m) => m.to === 'director@vendor.example.com')!;
    expect(linkOf(director, '一键确认')).toBeNull();
    const link = linkOf(director, '查看状态（无需登录）：')!;
    const page = await t.app.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('客服消息延迟');
    expect(page.body).toContain('已由 Owner vendor 确认');
    expect(page.body).not.toContain('<form');
  });
});
