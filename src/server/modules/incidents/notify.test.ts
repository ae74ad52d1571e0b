/**
 * Notifications through real local receivers: a DingTalk robot that checks the signature (and
 * refuses a wrong secret as DingTalk does, errcode 310000), a webhook receiver that checks the
 * HMAC, an endpoint that answers 500 (retried with back-off, then recorded as failed), an SMTP
 * server; then the one-click acknowledge link from the robot's message: GET shows a page, POST
 * acknowledges once, a reused or expired link is refused. Every endpoint goes through the SSRF
 * guard: loopback receivers are refused unless allow-listed, also behind a name and a redirect.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { registerJobs } from '../../main.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const secret = 'SECdingtalk-robot-secret-0001';
const hookSecret = 'whsec-0123456789abcdef';

type Got = { path: string; headers: IncomingMessage['headers']; body: string };

async function receiver(handle: (g: Got) => { status: number; body: unknown }) {
  const got: Got[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const g = { path: req.url ?? '', headers: req.headers, body };
      got.push(g);
      const r = handle(g);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** DingTalk's check: timestamp within an hour, sign = base64(HMAC-SHA256(secret, "timestamp\nsecret")). */
function dingtalkCheck(g: Got, now: number) {
  const u = new URL(g.path, 'http://x');
  const ts = Number(u.searchParams.get('timestamp'));
  const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
  const ok = u.searchParams.get('sign') === expected && Math.abs(now - ts) < 3_600_000;
  return ok
    ? { status: 200, body: { errcode: 0, errmsg: 'ok' } }
    : { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } };
}

describe.each(engines)('incident notifications on %s', (engine) => {
  let t: TestApp;
  const closers: (() => void)[] = [];
  afterEach(async () => {
    closers.splice(0).forEach((c) => c());
    await t?.close();
  });

  it('delivers to signed robots, webhooks and e-mail, retries failures, and acknowledges through the link once', async () => {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => (mails.push(data), cb()));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    closers.push(() => smtp.close());
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    t = await testApp(engine, {
      clock,
      // The local receivers are loopback addresses: the SSRF guard lets them through only when allow-listed.
      config: {
        smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
        publicUrl: 'https://kefu.example.com',
        outboundAllowList: '127.0.0.1',
      },
    });
    const { owner } = await t.workspace('vendor');
    const robot = await receiver((g) => dingtalkCheck(g, clock.now().getTime()));
    const hook = await receiver((g) => {
      const ts = g.headers['x-kefu-timestamp'] as string;
      const sig = `sha256=${createHmac('sha256', hookSecret).update(`${ts}.${g.body}`).digest('hex')}`;
      return sig === g.headers['x-kefu-signature'] ? { status: 204, body: '' } : { status: 401, body: 'bad signature' };
    });
    const broken = await receiver(() => ({ status: 500, body: { error: 'down' } }));
    closers.push(robot.close, hook.close, broken.close);

    const add = async (name: string, kind: string, config: object) => {
      const r = await owner.post('/api/ops/notifiers', { name, kind, config });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const ding = await add('运维钉钉群', 'dingtalk', { url: `${robot.url}/robot/send?access_token=t1`, secret });
    expect(ding.config.secret).toBe('••••••');
    await add('钉钉（密钥错）', 'dingtalk', { url: `${robot.url}/robot/send?access_token=t2`, secret: 'SECwrong' });
    await add('Webhook', 'webhook', { url: `${hook.url}/hook`, secret: hookSecret });
    await add('坏掉的短信网关', 'sms', { url: `${broken.url}/sms`, to: ['13800000000'] });
    await add('值班邮箱', 'email', { to: ['oncall@vendor.example.com'] });
    expect(
      (await owner.post('/api/ops/notifiers', { name: 'x', kind: 'webhook', config: { url: 'ftp://x' } })).statusCode,
    ).toBe(400);

    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const inc = (await owner.post('/api/ops/incidents', { title: '数据库不可达', severity: 'P1' })).json();
    while ((await worker.tick()) > 0);
    // Retries with back-off: advance past each delay until the broken gateway's attempts run out.
    for (let i = 0; i < 8; i++) {
      clock.advance(3_600_000);
      while ((await worker.tick()) > 0);
    }

    expect(robot.got.filter((g) => g.path.includes('t1'))).toHaveLength(1);
    const msg = JSON.parse(robot.got.find((g) => g.path.includes('t1'))!.body);
    expect(msg.msgtype).toBe('markdown');
    expect(msg.markdown.title).toContain('[P1] 新故障 #1 数据库不可达');
    expect(hook.got).toHaveLength(1);
    expect(JSON.parse(hook.got[0].body)).toMatchObject({ type: 'incident.notification', severity: 'P1' });
    expect(broken.got).toHaveLength(6);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('oncall@vendor.example.com');

    const detail = (await owner.get(`/api/ops/incidents/${inc.id}`)).json();
    const deliveries = detail.timeline
      .filter((e: { type: string }) => e.type.startsWith('notification_'))
      .map((e: { type: string; data: { channel: string; error?: string } }) => [
        e.data.channel,
        e.type,
        e.data.error ?? null,
      ]);
    expect(deliveries).toEqual(
      expect.arrayContaining([
        ['运维钉钉群', 'notification_sent', null],
        ['Webhook', 'notification_sent', null],
        ['值班邮箱', 'notification_sent', null],
        ['钉钉（密钥错）', 'notification_failed', expect.stringContaining('310000')],
        ['坏掉的短信网关', 'notification_failed', expect.stringContaining('HTTP 500')],
      ]),
    );
    expect(deliveries).toHaveLength(5);

    // The one-click link from the robot's message.
    const link = /\((https:\/\/kefu\.example\.com\/api\/ops\/ack\/[^)]+)\)/.exec(msg.markdown.text)![1];
    const path = new URL(link).pathname;
    const page = await t.app.inject({ method: 'GET', url: path });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.body).toContain('数据库不可达');
    // One language: the browser's, else the workspace's (Chinese here); never "中文 / English".
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain('确认，我来处理</button>');
    expect(page.body).toContain('状态：待确认');
    expect(page.body).not.toMatch(/Acknowledge|State/);
    const english = await t.app.inject({ method: 'GET', url: path, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Acknowledge: I am on it</button>');
    expect(english.body).toContain('State: triggered');
    expect(english.body).not.toMatch(/确认|状态/);
    // The robot's message: the workspace's language only.
    expect(msg.markdown.text).toMatch(/- 级别：P1\n- 状态：待确认\n/);
    expect(msg.markdown.text).toMatch(/\[一键确认\]\(https:[^)]+\) · \[查看故障\]\(/);
    expect(msg.markdown.text).not.toMatch(/Acknowledge|Severity/);
    expect((await owner.get(`/api/ops/incidents/${inc.id}`)).json().state).toBe('triggered'); // a GET acknowledges nothing
    const ack = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'text/plain' },
      payload: '',
    });
    expect(ack.statusCode).toBe(200);
    const after = (await owner.get(`/api/ops/incidents/${inc.id}`)).json();
    expect(after).toMatchObject({ state: 'acknowledged', acknowledgedBy: '运维钉钉群' });
    expect(after.timeline.find((e: { type: string }) => e.type === 'state').data).toMatchObject({ via: 'link' });
    const reused = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'text/plain' },
      payload: '',
    });
    expect(reused.statusCode).toBe(410);
    expect(reused.body).toMatch(/<p>链接已于 [\d-]+T[\d:.]+Z 使用过。<\/p>/);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/ops/ack/not-a-real-token-at-all-000' });
    expect([unknown.statusCode, unknown.body.includes('链接无效。')]).toEqual([404, true]);
    const unknownEn = await t.app.inject({
      method: 'GET',
      url: '/api/ops/ack/not-a-real-token-at-all-000',
      headers: { 'accept-language': 'en' },
    });
    expect(unknownEn.body).toContain('<h2>Cannot acknowledge</h2><p>This link is not valid.</p>');

    // Another link, used after it expired (24 h).
    const inc2 = (await owner.post('/api/ops/incidents', { title: '机器人离线', severity: 'P2' })).json();
    while ((await worker.tick()) > 0);
    // Its own message (the first incident's director message, sent after the breach, may come after it).
    const msg2 = JSON.parse(robot.got.find((g) => g.path.includes('t1') && g.body.includes('机器人离线'))!.body);
    const link2 = new URL(/\((https:\/\/[^)]+\/api\/ops\/ack\/[^)]+)\)/.exec(msg2.markdown.text)![1]).pathname;
    clock.advance(24 * 3_600_000 + 1);
    const expired = await t.app.inject({
      method: 'POST',
      url: link2,
      headers: { 'content-type': 'text/plain', 'accept-language': 'en-GB' },
      payload: '',
    });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired.');
    expect(expired.body).not.toContain('链接');
    expect((await t.signIn(owner.actor.email)).actor).toBeTruthy();
    expect(inc2.state).toBe('triggered');
  });

  it('sends to workspace-configured endpoints only through the SSRF guard', async () => {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    // The host name `localhost` is allowed; 127.0.0.1 itself (where it resolves to) is not listed.
    t = await testApp(engine, { clock, config: { outboundAllowList: 'localhost' } });
    const { owner } = await t.workspace('vendor');
    const robot = await receiver((g) => dingtalkCheck(g, clock.now().getTime()));
    // A redirect (a 307 keeps the POST) to an address the allow list does not name.
    const redirector = createServer((_req, res) => res.writeHead(307, { location: `${robot.url}/robot/send` }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    closers.push(robot.close, () => redirector.close());
    const port = (s: { url: string }) => new URL(s.url).port;
    const add = (name: string, kind: string, config: object) =>
      owner.post('/api/ops/notifiers', { name, kind, config });

    // Literal private addresses are refused when saved, whatever the notifier.
    for (const [kind, config] of [
      ['dingtalk', { url: `${robot.url}/robot/send`, secret }],
      ['webhook', { url: 'http://10.1.2.3/hook', secret: hookSecret }],
      ['sms', { url: 'http://[::1]:8080/sms', to: ['13800000000'] }],
      ['feishu', { url: 'http://169.254.169.254/latest/meta-data' }],
      ['wecom', { url: 'http://192.168.1.20/cgi-bin/webhook/send?key=k' }],
    ] as const) {
      const r = await add(`bad ${kind}`, kind, config);
      expect([r.statusCode, r.json().error.code], r.body).toEqual([400, 'outbound_blocked']);
    }
    expect((await owner.get('/api/ops/notifiers')).json().items).toHaveLength(0);

    // Allowed by name: delivered. A redirect from an allowed host to 127.0.0.1: refused at the redirect.
    expect(
      (await add('钉钉', 'dingtalk', { url: `http://localhost:${port(robot)}/robot/send`, secret })).statusCode,
    ).toBe(200);
    expect(
      (
        await add('跳转', 'webhook', {
          url: `http://localhost:${(redirector.address() as AddressInfo).port}/`,
          secret: hookSecret,
        })
      ).statusCode,
    ).toBe(200);
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调超时', severity: 'P2' })).json();
    for (let i = 0; i < 8; i++) {
      while ((await worker.tick()) > 0);
      clock.advance(3_600_000);
    }
    // Only the allowed robot's own message reached it: the redirect to 127.0.0.1 was not followed.
    expect(robot.got).toHaveLength(1);
    expect(new URL(robot.got[0].path, 'http://x').searchParams.get('sign')).toBeTruthy();
    const timeline = (await owner.get(`/api/ops/incidents/${inc.id}`)).json().timeline as {
      type: string;
      data: { channel: string; error?: string };
    }[];
    const failed = timeline.find((e) => e.type === 'notification_failed');
    expect(failed?.data).toMatchObject({ channel: '跳转', error: expect.stringContaining('127.0.0.1') });
    expect(failed?.data.error).toContain('private address');
    expect(timeline.find((e) => e.type === 'notification_sent')?.data.channel).toBe('钉钉');
  });
});
