/**
 * Feishu and WeCom group robots against real local receivers that check what Feishu and WeCom
 * check: Feishu's interactive card and its signature (timestamp + secret, as Feishu documents:
 * base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")), a timestamp within an hour,
 * a wrong secret refused with code 19021), WeCom's markdown and its @-by-phone text message. And
 * an endpoint that never answers: each try times out (`notifierTimeoutMs`), is retried with
 * exponential back-off (2, 4, 8, 16, 32 s), and the final failure is on the incident's timeline
 * and the ops overview. And SMS through a fake SMS provider (a real local HTTP gateway): the
 * numbers, the text with the one-click acknowledgement link, the token, and retries on 5xx.
 * Times are +08:00.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../lib/clock.ts';
import { JobWorker } from '../../../lib/jobs/worker.ts';
import { registerJobs } from '../../../main.ts';
import { engines, testApp, type TestApp } from '../../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const feishuSecret = 'feishu-robot-secret-0001';

type Got = { path: string; body: string; headers: IncomingMessage['headers'] };

/** A real HTTP server; `handle` answers (or, returning null, never does). */
async function receiver(handle: (g: Got, res: ServerResponse) => { status: number; body: unknown } | null) {
  const got: Got[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const g = { path: req.url ?? '', body, headers: req.headers };
      got.push(g);
      const r = handle(g, res);
      if (!r) return void hanging.push(res);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      hanging.forEach((r) => r.destroy());
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Feishu's check, written from its documentation (not with Kefu's code). */
function feishuCheck(g: Got, nowMs: number) {
  const b = JSON.parse(g.body) as { timestamp?: string; sign?: string };
  const ts = Number(b.timestamp);
  const expected = createHmac('sha256', `${ts}\n${feishuSecret}`).update('').digest('base64');
  return b.sign === expected && Math.abs(nowMs / 1000 - ts) < 3600
    ? { status: 200, body: { code: 0, msg: 'success', data: {} } }
    : {
        status: 200,
        body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' },
      };
}

describe.each(engines)('Feishu, WeCom, SMS and a hanging endpoint on %s', (engine) => {
  let t: TestApp;
  const closers: (() => void)[] = [];
  afterEach(async () => {
    closers.splice(0).forEach((c) => c());
    await t?.close();
  });

  async function setup() {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    t = await testApp(engine, {
      clock,
      config: { publicUrl: 'https://kefu.example.com', outboundAllowList: '127.0.0.1', notifierTimeoutMs: 300 },
    });
    const { owner } = await t.workspace('vendor');
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const drain = async () => {
      while ((await worker.tick()) > 0);
    };
    const add = async (name: string, kind: string, config: object) => {
      const r = await owner.post('/api/ops/notifiers', { name, kind, config });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { id: string; config: Record<string, unknown> };
    };
    const timeline = async (id: string) =>
      (await owner.get(`/api/ops/incidents/${id}`)).json().timeline as {
        type: string;
        data: { channel: string; error?: string; attempts: number };
      }[];
    return { clock, owner, drain, add, timeline };
  }

  it("sends Feishu's signed interactive card and WeCom's markdown; a wrong Feishu secret is refused", async () => {
    const { clock, owner, drain, add, timeline } = await setup();
    const feishu = await receiver((g) => feishuCheck(g, clock.now().getTime()));
    const wecom = await receiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    closers.push(feishu.close, wecom.close);
    const signed = await add('飞书群', 'feishu', {
      url: `${feishu.url}/open-apis/bot/v2/hook/h1`,
      secret: feishuSecret,
    });
    expect(signed.config.secret).toBe('••••••');
    await add('飞书（密钥错）', 'feishu', { url: `${feishu.url}/open-apis/bot/v2/hook/h2`, secret: 'wrong-secret' });
    const wc = await add('企业微信群', 'wecom', {
      url: `${wecom.url}/cgi-bin/webhook/send?key=k1`,
      mentionedMobiles: ['13800000001'],
    });
    // WeCom's key is in the URL: the URL is the secret.
    expect(wc.config.url).toBe('••••••');

    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P1' })).json();
    await drain();

    const card = JSON.parse(feishu.got.find((g) => g.path.endsWith('/h1'))!.body);
    expect(card).toMatchObject({
      timestamp: String(Math.floor(at('2026-03-02T10:00:00').getTime() / 1000)),
      msg_type: 'interactive',
      card: { header: { title: { tag: 'plain_text', content: '[P1] 新故障 #1 支付回调失败' }, template: 'red' } },
    });
    const [div, action] = card.card.elements;
    expect(div).toMatchObject({ tag: 'div', text: { tag: 'lark_md' } });
    expect(div.text.content).toContain('- 级别：P1\n- 状态：待确认');
    expect(action.tag).toBe('action');
    expect(action.actions.map((a: { text: { content: string }; url: string }) => [a.text.content, a.url])).toEqual([
      ['一键确认', expect.stringMatching(/^https:\/\/kefu\.example\.com\/api\/ops\/ack\/\S{20,}$/)],
      ['查看故障', `https://kefu.example.com/ops/incidents/${inc.id}`],
    ]);

    expect(wecom.got.map((g) => g.path)).toEqual(['/cgi-bin/webhook/send?key=k1', '/cgi-bin/webhook/send?key=k1']);
    const [md, text] = wecom.got.map((g) => JSON.parse(g.body));
    expect(md.msgtype).toBe('markdown');
    expect(md.markdown.content).toMatch(/^\*\*\[P1\] 新故障 #1 支付回调失败\*\*/);
    expect(md.markdown.content).toMatch(/\[一键确认\]\(https:\/\/kefu\.example\.com\/api\/ops\/ack\/\S+\)/);
    expect(Buffer.byteLength(md.markdown.content)).toBeLessThanOrEqual(4096); // WeCom's limit
    expect(text).toEqual({
      msgtype: 'text',
      text: { content: '[P1] 新故障 #1 支付回调失败', mentioned_mobile_list: ['13800000001'] },
    });

    const sent = (await timeline(inc.id)).filter((e) => e.type.startsWith('notification_'));
    expect(sent.map((e) => [e.data.channel, e.type])).toEqual(
      expect.arrayContaining([
        ['飞书群', 'notification_sent'],
        ['企业微信群', 'notification_sent'],
      ]),
    );
    // The wrong secret: refused on every try, then recorded with Feishu's code.
    for (let i = 0; i < 6; i++) {
      clock.advance(60_000);
      await drain();
    }
    expect(feishu.got.filter((g) => g.path.endsWith('/h2'))).toHaveLength(6);
    const failed = (await timeline(inc.id)).find((e) => e.type === 'notification_failed')!;
    expect(failed.data).toMatchObject({ channel: '飞书（密钥错）', attempts: 6 });
    expect(failed.data.error).toContain('19021');
  });

  it('sends an SMS with the one-click acknowledgement link through the HTTP gateway, retrying on 5xx', async () => {
    const { clock, owner, drain, add, timeline } = await setup();
    // A fake SMS provider: busy (503, 502) twice, then accepts.
    const tries: number[] = [];
    const fakeSmsProvider = await receiver(() => {
      tries.push(clock.now().getTime());
      return tries.length <= 2
        ? { status: tries.length === 1 ? 503 : 502, body: { error: 'gateway busy' } }
        : { status: 200, body: { ok: true, id: 'sms-1' } };
    });
    closers.push(fakeSmsProvider.close);
    const ch = await add('值班短信', 'sms', {
      url: `${fakeSmsProvider.url}/v1/send`,
      token: 'sms-gateway-token-1',
      to: ['13800000001', '+8613900000002'],
    });
    expect(ch.config.token).toBe('••••••');
    // A number that is not one is refused with the field named.
    const bad = await owner.post('/api/ops/notifiers', {
      name: 'x',
      kind: 'sms',
      config: { url: ch.config.url, to: ['call me'] },
    });
    expect(bad.statusCode).toBe(400);

    const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P1' })).json();
    const start = clock.now().getTime();
    await drain();
    for (const wait of [2, 4]) {
      clock.advance(wait * 1000);
      await drain();
    }
    expect(tries.map((x) => (x - start) / 1000)).toEqual([0, 2, 6]);
    // The same request each time: the numbers, the text with the signed acknowledgement link, the token.
    for (const g of fakeSmsProvider.got) {
      expect(g.path).toBe('/v1/send');
      expect(g.headers['content-type']).toBe('application/json');
      expect(g.headers.authorization).toBe('Bearer sms-gateway-token-1');
    }
    const sent = JSON.parse(fakeSmsProvider.got[2].body) as { to: string[]; text: string };
    expect(sent.to).toEqual(['13800000001', '+8613900000002']);
    expect(sent.text).toMatch(
      /^【Kefu】\[P1\] 新故障 #1 支付回调失败 确认：https:\/\/kefu\.example\.com\/api\/ops\/ack\/\S{20,}$/,
    );
    const notes = (await timeline(inc.id)).filter((e) => e.type.startsWith('notification_'));
    expect(notes.map((e) => [e.type, e.data.channel, e.data.attempts])).toEqual([['notification_sent', '值班短信', 3]]);

    // The link acknowledges from a phone without signing in, once.
    const link = new URL(/https:\/\/\S+/.exec(sent.text)![0]).pathname;
    const post = () =>
      t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'text/plain' }, payload: '' });
    expect((await post()).statusCode).toBe(200);
    expect((await owner.get(`/api/ops/incidents/${inc.id}`)).json().state).toBe('acknowledged');
    expect((await post()).statusCode).toBe(410);
  });

  it('times out on an endpoint that never answers, retries with back-off, and records the final failure', async () => {
    const { clock, owner, drain, add, timeline } = await setup();
    const tries: number[] = [];
    const hang = await receiver(() => (tries.push(clock.now().getTime()), null));
    closers.push(hang.close);
    await add('挂起的 Webhook', 'webhook', { url: `${hang.url}/hook`, secret: 'whsec-0123456789abcdef' });
    const inc = (await owner.post('/api/ops/incidents', { title: '短信网关无响应', severity: 'P2' })).json();
    const start = clock.now().getTime();
    await drain();
    expect(tries).toHaveLength(1);
    // Exponential back-off: the next try is not due before 2 s, then 4, 8, 16, 32 s after each failure.
    for (const wait of [2, 4, 8, 16, 32]) {
      clock.advance(wait * 1000 - 1);
      await drain();
      expect(tries, `nothing before ${wait} s`).toHaveLength([2, 4, 8, 16, 32].indexOf(wait) + 1);
      clock.advance(1);
      await drain();
    }
    expect(tries.map((x) => (x - start) / 1000)).toEqual([0, 2, 6, 14, 30, 62]);
    clock.advance(3_600_000);
    await drain();
    expect(tries).toHaveLength(6);

    const notes = (await timeline(inc.id)).filter((e) => e.type.startsWith('notification_'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'notification_failed', data: { channel: '挂起的 Webhook', attempts: 6 } });
    expect(notes[0].data.error).toMatch(/timed out/);
    const overview = (await owner.get('/api/ops/overview')).json();
    expect(overview.failedNotifications).toEqual([
      expect.objectContaining({
        incidentId: inc.id,
        channel: '挂起的 Webhook',
        error: expect.stringMatching(/timed out/),
      }),
    ]);
  });
});
