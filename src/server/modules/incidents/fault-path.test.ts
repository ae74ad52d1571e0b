/**
 * The contract's whole fault path with real processes, through the real interfaces (the `kefu`
 * server process and HTTP only): a local HTTP server the test starts → a probe on it and a rule
 * `for: 3s` with severity P2 → the server stops → the alert fires → a P2 incident opens → a local
 * DingTalk robot (a real HTTP server here) checks the signature of every message (timestamp +
 * HMAC-SHA256 of "timestamp\nsecret", `sign` query parameter) → the escalation policy's step goes
 * out → the test acknowledges through the signed one-click link from the message, without a
 * session → the resolution deadline passes (a 2-minute P2 target in the contract) → the technical
 * director is e-mailed (a real SMTP server) and the robot told → the target comes back (the
 * incident is mitigated) → resolved → review → the monthly statement shows the deduction, and
 * `kefu penalty compute` on the same figures agrees.
 *
 * SQLite with one node; PostgreSQL + Redis with two nodes that both run every role (worker and
 * scheduler): there the escalation step must reach the robot exactly once. Nothing waits a fixed
 * time: each step polls until it is true, bounded by the test's timeout.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureSmtp } from '../../testing/smtp.ts';
import { pgUrl, redisUrl } from '../../testing/harness.ts';
import { api, freePort, processPlace, signInHttp, startKefuProcess, type KefuProcess } from '../../testing/spawn.ts';
import { until as untilAny } from '../../testing/until.ts';

/** The whole fault path (escalations, a breach) takes minutes on a loaded machine: a longer bound. */
const until = <T>(what: string, fn: () => Promise<T | null | undefined | false>) => untilAny(what, fn, 600_000);

const bin = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));
const secret = 'SECfault-path-robot-secret-01';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The watched service: answers 200 while up, 503 while down. */
async function target() {
  let up = true;
  const url = await listen(createServer((_req, res) => void res.writeHead(up ? 200 : 503).end(up ? 'ok' : 'down')));
  return { url: `${url}/health`, setUp: (v: boolean) => (up = v) };
}

type RobotMessage = { title: string; text: string; at: number };

/** A DingTalk group robot: refuses a bad or stale signature as DingTalk does (errcode 310000). */
async function dingtalkRobot() {
  const messages: RobotMessage[] = [];
  const refused: string[] = [];
  const url = await listen(
    createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://robot');
        const ts = Number(u.searchParams.get('timestamp'));
        const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
        const fresh = Math.abs(Date.now() - ts) < 3_600_000;
        res.writeHead(200, { 'content-type': 'application/json' });
        if (u.searchParams.get('access_token') !== 'fault-path' || u.searchParams.get('sign') !== expected || !fresh) {
          refused.push(req.url ?? '');
          return void res.end(JSON.stringify({ errcode: 310000, errmsg: 'sign not match' }));
        }
        const m = JSON.parse(body) as { msgtype: string; markdown: { title: string; text: string } };
        expect(m.msgtype).toBe('markdown');
        messages.push({ title: m.markdown.title, text: m.markdown.text, at: Date.now() });
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      });
    }),
  );
  return { url: `${url}/robot/send?access_token=fault-path`, messages, refused };
}

const opsDoc = (url: string) => ({
  // A generous timeout: on a loaded machine a slow answer must not read as the service being down.
  probes: [{ name: 'shop-api', type: 'http', url, interval: '1s', timeout: '10s', component: 'web_chat' }],
  groups: [
    {
      name: 'fault-path',
      interval: '1s',
      rules: [
        {
          alert: 'ShopApiDown',
          expr: 'probe_success{probe="shop-api"} == 0',
          for: '3s',
          labels: { severity: 'P2' },
          annotations: { summary: '商城接口不可用' },
        },
      ],
    },
  ],
});

type Incident = {
  id: string;
  title: string;
  workspaceIds: string[];
  clocks: { workspaceId: string; resolveBy: string; resolve: { breached: boolean } }[];
  number: number;
  severity: string;
  state: string;
  declaredAt: string;
  resolveBy: string;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  directorEngagedAt: string | null;
  version: number;
  timeline: { type: string; at: string; data: Record<string, unknown> }[];
};

const kind = (m: RobotMessage) =>
  m.title.includes('新故障')
    ? 'declared'
    : m.title.includes('故障升级')
      ? 'escalation'
      : m.title.includes('技术总监介入')
        ? 'director'
        : m.title;

async function faultPath(engine: 'sqlite' | 'postgres', nodeCount: 1 | 2) {
  const where = await processPlace(engine, cleanups);
  const smtp = await captureSmtp();
  cleanups.push(() => smtp.close());
  const robot = await dingtalkRobot();
  const shop = await target();
  const nodes: KefuProcess[] = [];
  // Its own Redis prefix: other tests' processes use the same Redis at the same time.
  const prefix = `kefu-fault-${Math.random().toString(36).slice(2, 10)}:`;
  for (let i = 0; i < nodeCount; i++) {
    const port = await freePort();
    const node = await startKefuProcess({
      ...where,
      port,
      env: {
        ...where.env,
        ...(nodeCount === 2 ? { REDIS_URL: redisUrl!, KEFU_REDIS_PREFIX: prefix } : {}),
        KEFU_NODE_NAME: `node-${i}`,
        KEFU_PUBLIC_URL: `http://127.0.0.1:${port}`,
        KEFU_SMTP_URL: smtp.url,
        // The robot and the watched service are loopback receivers: allow-listed for the SSRF guard.
        KEFU_OUTBOUND_ALLOW_LIST: '127.0.0.1',
      },
    });
    cleanups.push(() => node.stop());
    nodes.push(node);
  }
  const [a] = nodes;
  const auth = await signInHttp(a.url);
  const call = <T = any>(method: string, path: string, body?: unknown) => api<T>(a.url, auth, method, path, body);
  const me = await call<{ user: { id: string } }>('GET', '/api/auth/me');

  // The merchant: its own workspace (it depends on the watched component like every workspace)
  // and contract, where P2 must be resolved within 2 minutes so the deadline passes in the test.
  // The demo workspace keeps its seeded contract and incidents; the merchant's ledger is clean.
  const merchantOwner = { email: 'owner@merchant.example.com', password: 'merchant-owner-password-1' };
  await call('POST', '/api/workspaces', {
    name: '示例商户',
    slug: 'merchant',
    admin: { ...merchantOwner, name: '商户店长' },
  });
  const mAuth = await signInHttp(a.url, merchantOwner.email, merchantOwner.password);
  const merchant = <T = any>(method: string, path: string, body?: unknown) => api<T>(a.url, mAuth, method, path, body);
  const merchantMe = await merchant<{ workspace: { id: string } }>('GET', '/api/auth/me');
  await merchant('PUT', '/api/ops/contract', {
    total: 1_000_000,
    currency: 'CNY',
    term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
    severities: {
      P1: { respond: 15, resolve: 120 },
      P2: { respond: 1, resolve: 2 },
      P3: { respond: 60, resolve: 480 },
    },
    technicalDirector: { name: '王建国', email: 'director@vendor.example.com' },
    contacts: [{ name: '商户运营', email: 'ops@merchant.example.com' }],
  });
  await call('POST', '/api/ops/notifiers', {
    name: '运维钉钉群',
    kind: 'dingtalk',
    config: { url: robot.url, secret },
  });
  await call('PUT', '/api/ops/escalation-policy', { steps: [{ notify: [{ type: 'channels' }], waitMinutes: 5 }] });
  await call('PUT', '/api/ops/config', opsDoc(shop.url));
  await until('the probe is up', async () => {
    const p = await call<{ items: { name: string; status: string }[] }>('GET', '/api/ops/probes');
    return p.items.find((x) => x.name === 'shop-api')?.status === 'up';
  });

  // The shop's API goes down: the rule fires after 3 s and a P2 incident opens.
  shop.setUp(false);
  const opened = await until('a P2 incident from the alert', async () => {
    const r = await call<{ items: Incident[] }>('GET', '/api/ops/incidents?state=open');
    return r.items.find((i) => i.severity === 'P2' && i.title === '商城接口不可用');
  });
  expect(opened).toMatchObject({ source: 'alert', state: 'triggered' });
  expect(opened.workspaceIds).toEqual(expect.arrayContaining([merchantMe.workspace.id]));
  // Each affected contract has its own clock: the merchant's is the 2-minute one.
  const clockOf = async () =>
    (await call<Incident>('GET', `/api/ops/incidents/${opened.id}`)).clocks.find(
      (c) => c.workspaceId === merchantMe.workspace.id,
    )!;
  const merchantClock = await clockOf();
  expect(Date.parse(merchantClock.resolveBy) - Date.parse(opened.declaredAt)).toBe(2 * 60_000);

  // The robot gets the incident (signed), then the escalation step while nobody has acknowledged.
  const ofThis = (m: RobotMessage) => m.title.includes(` #${opened.number} `);
  await until('the escalation message', async () => robot.messages.some((m) => ofThis(m) && kind(m) === 'escalation'));
  const declared = robot.messages.find((m) => ofThis(m) && kind(m) === 'declared')!;
  expect(declared.title).toBe(`[P2] 新故障 #${opened.number} 商城接口不可用`);

  // One click from the phone: no cookie, no CSRF token. GET shows the page; POST acknowledges.
  const link = /\[一键确认\]\((http:\/\/[^)]+)\)/.exec(declared.text)![1];
  // It points at the node whose worker sent it (KEFU_PUBLIC_URL).
  expect(nodes.some((n) => link.startsWith(`${n.url}/api/ops/ack/`))).toBe(true);
  const page = await fetch(link);
  expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('商城接口不可用')]);
  const ack = await fetch(link, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' });
  expect([ack.status, await ack.text()]).toEqual([200, expect.stringContaining('已确认')]);
  expect((await fetch(link, { method: 'POST', body: '' })).status).toBe(410); // single-use
  const acked = await call<Incident>('GET', `/api/ops/incidents/${opened.id}`);
  expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: '运维钉钉群' });

  // The resolution deadline passes: the technical director steps in, e-mailed and announced.
  const director = await until('the director engaged', async () => {
    const i = await call<Incident>('GET', `/api/ops/incidents/${opened.id}`);
    return i.directorEngagedAt ? i : null;
  });
  expect(Date.parse(director.directorEngagedAt!)).toBeGreaterThanOrEqual(Date.parse(merchantClock.resolveBy));
  await until('the director e-mail', async () => smtp.received.some((m) => m.to === 'director@vendor.example.com'));
  await until('the merchant contact e-mail', async () =>
    smtp.received.some((m) => m.to === 'ops@merchant.example.com'),
  );
  await until('the director message', async () => robot.messages.some((m) => ofThis(m) && kind(m) === 'director'));
  expect(robot.messages.find((m) => ofThis(m) && kind(m) === 'director')!.title).toBe(
    `[P2] 超时未解决，技术总监介入 #${opened.number} 商城接口不可用`,
  );

  // The service comes back: the alert resolves, the incident is mitigated; a person resolves it.
  shop.setUp(true);
  const mitigated = await until('mitigated', async () => {
    const i = await call<Incident>('GET', `/api/ops/incidents/${opened.id}`);
    return i.state === 'mitigated' ? i : null;
  });
  const resolved = await call<Incident>('POST', `/api/ops/incidents/${opened.id}/transitions`, {
    to: 'resolved',
    version: mitigated.version,
    note: '扩容后恢复',
  });
  expect(resolved.state).toBe('resolved');
  expect(Date.parse(resolved.resolvedAt!)).toBeGreaterThan(Date.parse(merchantClock.resolveBy));
  expect((await clockOf()).resolve.breached).toBe(true);

  // The post-incident review, its timeline filled from the events.
  await call('PUT', `/api/ops/incidents/${opened.id}/review`, {
    impact: '商城接口不可用约 4 分钟',
    rootCauseCategory: 'capacity',
    rootCause: '连接池耗尽',
    actionItems: [{ title: '连接池告警', ownerId: me.user.id, due: '2026-12-31' }],
  });
  const review = await call<{ review: { rootCause: string }; timeline: { type: string }[] }>(
    'GET',
    `/api/ops/incidents/${opened.id}/review`,
  );
  expect(review.review.rootCause).toBe('连接池耗尽');
  expect(review.timeline.map((e) => e.type)).toEqual(
    expect.arrayContaining(['alert', 'notification_sent', 'escalated', 'sla_breach', 'director_engaged']),
  );

  // The merchant's statement of the month: resolved a few minutes late → 1 started hour → 0.5 %
  // of 1,000,000. The merchant reads it and signs it off.
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date(resolved.resolvedAt!))
    .slice(0, 7);
  type Statement = {
    deduction: number;
    capApplied: boolean;
    lines: { id: string; hoursOver: number; deductionCents: number; resolveBy: number; counted: boolean }[];
    signoffs: { party: string; deduction: number }[];
  };
  const st = await merchant<Statement>('GET', `/api/ops/penalties/${month}?format=json`);
  // (Were the probe to flap after the resolution, a new incident would be listed, open: it deducts nothing.)
  const ours = st.lines.find((l) => l.id === opened.id);
  expect(ours, JSON.stringify(st.lines)).toMatchObject({ hoursOver: 1, deductionCents: 500_000, counted: true });
  expect(ours!.resolveBy).toBe(Date.parse(merchantClock.resolveBy));
  expect(
    st.lines.filter((l) => l.id !== opened.id && l.counted),
    JSON.stringify(st.lines),
  ).toEqual([]);
  expect([st.deduction, st.capApplied]).toEqual([5000, false]);
  const signed = await merchant<Statement>('POST', `/api/ops/penalties/${month}/sign-off`, { party: 'merchant' });
  expect(signed.signoffs).toEqual([expect.objectContaining({ party: 'merchant', deduction: 5000 })]);

  // The audit CLI, on the same figures, agrees.
  const contract = {
    total: 1_000_000,
    currency: 'CNY',
    term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
    severities: { P2: { respond: 1, resolve: 2 } },
  };
  const line = {
    id: opened.id,
    severity: 'P2',
    declaredAt: opened.declaredAt,
    acknowledgedAt: (await call<{ acknowledgedAt: string }>('GET', `/api/ops/incidents/${opened.id}`)).acknowledgedAt,
    resolvedAt: resolved.resolvedAt,
  };
  writeFileSync(join(where.dataDir, 'contract.json'), JSON.stringify(contract));
  writeFileSync(join(where.dataDir, 'incidents.jsonl'), JSON.stringify(line) + '\n');
  const cli = spawnSync(
    process.execPath,
    [bin, 'penalty', 'compute', '--contract', 'contract.json', '--incidents', 'incidents.jsonl', '--json'],
    { cwd: where.dataDir, encoding: 'utf8' },
  );
  expect(cli.status, cli.stderr).toBe(0);
  expect(JSON.parse(cli.stdout)).toMatchObject({ total: 5000, capApplied: false, incidents: [{ hoursOver: 1 }] });

  // Every message was signed right; the escalation step went out once, whichever node ran it.
  expect(robot.refused).toEqual([]);
  const timeline = (await call<Incident>('GET', `/api/ops/incidents/${opened.id}`)).timeline;
  const story = JSON.stringify({
    messages: robot.messages.map((m) => [new Date(m.at).toISOString(), m.title]),
    timeline: timeline.map((e) => [e.at, e.type, e.data]),
  });
  // Counted for this incident: the built-in rules (every chat entry point down) may open others.
  const mine = robot.messages.filter((m) => m.title.includes(` #${opened.number} `));
  expect(
    mine.filter((m) => kind(m) === 'escalation'),
    story,
  ).toHaveLength(1);
  expect(
    mine.filter((m) => kind(m) === 'declared'),
    story,
  ).toHaveLength(1);
  expect(
    mine.filter((m) => kind(m) === 'director'),
    story,
  ).toHaveLength(1);
  expect(
    timeline.filter((e) => e.type === 'escalated'),
    story,
  ).toHaveLength(1);
  expect(timeline.filter((e) => e.type === 'director_engaged')).toHaveLength(1);
  return { nodes };
}

const cases: ['sqlite' | 'postgres', 1 | 2][] = [
  ['sqlite', 1],
  // Both nodes run every role (web, worker, scheduler): the escalation must reach the robot once.
  ...(pgUrl && redisUrl ? [['postgres', 2] as ['postgres', 2]] : []),
];

describe.concurrent('the contract fault path with real processes', () => {
  it.each(cases)(
    '%s × %s node(s): probe down → P2 → signed robot → escalation once → link ack → breach → director → statement',
    { timeout: 900_000 },
    async (engine, nodeCount) => {
      const { nodes } = await faultPath(engine, nodeCount);
      expect(nodes).toHaveLength(nodeCount);
    },
  );
});
