/**
 * The report schedules editor's API on both engines: a never-edited schedule runs at 08:00 and
 * mails the workspace's enabled owners and admins; saving validates the time, the addresses and
 * the channels (another workspace's channel is unknown), is audited, and the tick then mails the
 * saved recipients and posts only to the named channels.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { captureSmtp } from '../../testing/smtp.ts';
import { runTick } from './delivery.ts';

const put = (c: Client, type: string, payload: unknown) =>
  c.request({ method: 'PUT', url: `/api/reports/schedules/${type}`, payload: payload as object });
const daily = { enabled: true, localTime: '07:30', recipients: ['Boss@Shop.example '], channelIds: null };

async function addChannel(t: TestApp, ws: string, id: string, url: string) {
  const now = new Date().toISOString();
  await allTables(t.s)
    .insertInto('incident_channels')
    .values({
      id,
      workspace_id: ws,
      name: `群 ${id}`,
      kind: 'webhook',
      config: t.s.cipher.encrypt(JSON.stringify({ url, secret: 'a-secret-of-16-chars' })),
      enabled: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

describe.each(engines)('report schedules on %s', (engine) => {
  let t: TestApp;
  let shop: { id: string; owner: Client };
  let admin: Client;

  beforeAll(async () => {
    t = await testApp(engine);
    shop = await t.workspace('sched');
    admin = await t.user(shop.id, 'admin', 'admin-sched@example.com');
    const gone = await t.user(shop.id, 'admin', 'gone-sched@example.com');
    expect((await shop.owner.patch(`/api/users/${gone.actor.userId}`, { disabled: true })).statusCode).toBe(200);
    await t.user(shop.id, 'agent', 'agent-sched@example.com');
    await addChannel(t, shop.id, 'chn_sched_a', 'http://127.0.0.1:9/a');
    const other = await t.workspace('sched-other');
    await addChannel(t, other.id, 'chn_other', 'http://127.0.0.1:9/b');
  }, 60_000);
  afterAll(async () => t?.close());

  it('shows the defaults: 08:00, on, the enabled owners and admins, every channel', async () => {
    const r = await admin.get('/api/reports/schedules');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.zone).toBe('Asia/Shanghai');
    expect(body.channels).toEqual([{ id: 'chn_sched_a', name: '群 chn_sched_a', kind: 'webhook', enabled: true }]);
    expect(body.schedules.map((x: { type: string }) => x.type)).toEqual([
      'daily',
      'weekly',
      'monthly-ops',
      'monthly-cs',
    ]);
    for (const x of body.schedules)
      expect(x).toMatchObject({
        custom: false,
        enabled: true,
        localTime: '08:00',
        recipients: ['admin-sched@example.com', shop.owner.actor.email].sort(),
        channelIds: null,
      });
  });

  it('refuses bad input with a reason, and an agent', async () => {
    const bad: [string, unknown, RegExp][] = [
      ['daily', { ...daily, localTime: '8:00' }, /quarter hour/],
      ['daily', { ...daily, localTime: '08:07' }, /quarter hour/],
      ['daily', { ...daily, localTime: '24:00' }, /quarter hour/],
      ['daily', { ...daily, recipients: ['not-an-address'] }, /email/i],
      ['daily', { ...daily, recipients: ['a@b.example', 'A@b.example'] }, /once/],
      ['daily', { ...daily, channelIds: ['chn_nope'] }, /unknown notification channel: chn_nope/],
      ['daily', { ...daily, channelIds: ['chn_other'] }, /unknown notification channel: chn_other/],
      ['daily', { ...daily, extra: 1 }, /extra|unrecognized/i],
      ['yearly', daily, /type/],
    ];
    for (const [type, body, reason] of bad) {
      const r = await put(admin, type, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.body, JSON.stringify(body)).toMatch(reason);
    }
    const agent = await t.user(shop.id, 'agent');
    expect((await put(agent, 'daily', daily)).statusCode).toBe(403);
    expect((await agent.get('/api/reports/schedules')).statusCode).toBe(403);
    expect((await admin.get('/api/reports/schedules')).json().schedules[0].custom).toBe(false);
  });

  it('saves a schedule (normalised addresses, named channels) and audits it without the addresses', async () => {
    const r = await put(admin, 'daily', { ...daily, channelIds: ['chn_sched_a'] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      type: 'daily',
      custom: true,
      enabled: true,
      localTime: '07:30',
      recipients: ['boss@shop.example'],
      channelIds: ['chn_sched_a'],
    });
    expect(
      (await put(admin, 'weekly', { enabled: false, localTime: '09:45', recipients: [], channelIds: [] })).statusCode,
    ).toBe(200);
    const all = (await admin.get('/api/reports/schedules')).json().schedules;
    expect(all[0]).toMatchObject({ custom: true, localTime: '07:30', recipients: ['boss@shop.example'] });
    expect(all[1]).toMatchObject({ custom: true, enabled: false, localTime: '09:45', recipients: [], channelIds: [] });
    expect(all[2]).toMatchObject({ custom: false, localTime: '08:00' });
    const audit = (await shop.owner.get('/api/audit?action=report_schedule.saved')).json().items;
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('boss@shop.example');
  });
});

describe.each(engines)('scheduled delivery to the schedule’s recipients and channels on %s', (engine) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof captureSmtp>>;
  let receiver: Server;
  const posted: string[] = [];
  let ownerEmail = '';
  const clock = manualClock('2026-11-01T23:00:00Z'); // Monday Nov 2, 07:00 in Shanghai

  beforeAll(async () => {
    smtp = await captureSmtp();
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posted.push(req.url ?? '');
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    t = await testApp(engine, { clock, config: { smtpUrl: smtp.url, outboundAllowList: '127.0.0.1' } });
    const port = (receiver.address() as { port: number }).port;
    const shop = await t.workspace('sched-deliver');
    ownerEmail = shop.owner.actor.email;
    await t.user(shop.id, 'admin', 'admin-deliver@example.com');
    await addChannel(t, shop.id, 'chn_a', `http://127.0.0.1:${port}/a`);
    await addChannel(t, shop.id, 'chn_b', `http://127.0.0.1:${port}/b`);
    // Daily: left as it is (the defaults). Monthly CS: its own recipient and channel b only; the others off.
    const off = { enabled: false, localTime: '08:00', recipients: [], channelIds: null };
    for (const type of ['weekly', 'monthly-ops']) expect((await put(shop.owner, type, off)).statusCode).toBe(200);
    const cs = { enabled: true, localTime: '06:45', recipients: ['cs-lead@shop.example'], channelIds: ['chn_b'] };
    expect((await put(shop.owner, 'monthly-cs', cs)).statusCode).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    receiver?.close();
  });

  it('mails the defaults and the saved recipients, and posts to the named channels only', async () => {
    const produced = await runTick(t.s); // 07:00: monthly CS (06:45) is due, daily (08:00) is yesterday's
    expect(produced.map((p) => p.split(' ').slice(1).join(' ')).sort()).toEqual([
      'daily 2026-10-31',
      'monthly-cs 2026-10',
    ]);
    expect(smtp.received.map((m) => m.to).sort()).toEqual([
      `admin-deliver@example.com,${ownerEmail}`,
      'cs-lead@shop.example',
    ]);
    expect(posted.sort()).toEqual(['/a', '/b', '/b']); // daily: every channel; monthly CS: b only
  }, 120_000);
});
