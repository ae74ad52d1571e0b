/**
 * Scheduled reports end to end: at Monday 08:05 in Shanghai the tick produces the due reports,
 * mails a summary with a signed link to a real SMTP server, posts it to a local webhook receiver
 * through the incidents module's notifier, and the link opens the report without signing in.
 * Before 08:00 nothing is due; two hours after an instant a missing report counts as overdue.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { captureSmtp } from '../../testing/smtp.ts';
import { lastDue, overdueReports, runTick, summaryText } from './delivery.ts';
import { t as text, type ReportDocument } from './document.ts';
import { reportTypes } from './periods.ts';

describe('the delivered summary reads in the workspace language', () => {
  const doc = (type: ReportDocument['type'], summary: ReportDocument['summary']): ReportDocument => ({
    type,
    workspaceId: 'ws',
    title: text(`报告 · ${type}`, `Report · ${type}`),
    period: { key: 'k', zone: 'Asia/Shanghai', start: '2026-10-01T00:00:00+08:00', end: '2026-11-01T00:00:00+08:00' },
    asOf: '2026-11-01T00:00:00+08:00',
    summary,
    sections: [{ id: 'backups', title: text('备份', 'Backups'), noSource: text('无', 'none'), blocks: [] }],
    appendix: [],
  });
  const cs = doc('monthly-cs', {
    created: 1234,
    frtP50: 240,
    frtP90: 900,
    resolutionP50: 5400,
    resolutionP90: 9000,
    resolutionRate: 100,
    fcr: 87.5,
    csatPercent: 92.3077,
    csatCount: 13,
  });
  const ops = doc('daily', { availability: 99.9531, cpuPeak: 0.95, p99Worst: 0.4321, anomalies: 2, openIncidents: 0 });

  it('writes the customer-service figures as readable lines, not keys and raw numbers', () => {
    expect(summaryText(cs, 'http://x/r', 'zh-CN').channelText).toBe(
      [
        '报告 · monthly-cs',
        '2026-10-01T00:00:00+08:00 – 2026-11-01T00:00:00+08:00',
        '新会话 1,234 · 首次响应中位数 4 min · 解决时长中位数 1.5 h',
        '解决率 100.00 % · 一次解决率 87.50 % · CSAT 92.31 %（n=13）',
        '无数据来源：备份',
      ].join('\n'),
    );
    const en = summaryText(cs, 'http://x/r', 'en');
    expect(en.channelText).toBe(
      [
        'Report · monthly-cs',
        '2026-10-01T00:00:00+08:00 – 2026-11-01T00:00:00+08:00',
        'New conversations 1,234 · Median first response 4 min · Median resolution time 1.5 h',
        'Resolution rate 100.00 % · First-contact resolution 87.50 % · CSAT 92.31 % (n=13)',
        'No source: Backups',
      ].join('\n'),
    );
    expect(en.text).toBe(`${en.channelText}\n\nOpen the report: http://x/r\n`);
    expect(en.markdown).toBe(
      [
        '**Report · monthly-cs**',
        '',
        '- New conversations 1,234 · Median first response 4 min · Median resolution time 1.5 h',
        '- Resolution rate 100.00 % · First-contact resolution 87.50 % · CSAT 92.31 % (n=13)',
      ].join('\n'),
    );
  });

  it('writes the operations figures with their units, and "-" where a figure has no value', () => {
    expect(summaryText(ops, 'http://x/r', 'zh-CN').markdown).toBe(
      [
        '**报告 · daily**',
        '',
        '- 平均可用率 99.95 % · API p99 最差 432.1 ms · CPU 峰值 95.00 %',
        '- 异常小时 2 · 未恢复事件 0',
      ].join('\n'),
    );
    const empty = doc('weekly', { availability: null, cpuPeak: null, p99Worst: null, anomalies: 0, openIncidents: 0 });
    expect(summaryText(empty, 'http://x/r', 'en').markdown).toBe(
      [
        '**Report · weekly**',
        '',
        '- Availability - · Worst API p99 - · CPU peak -',
        '- Anomalous hours 0 · Open incidents 0',
      ].join('\n'),
    );
  });
});

describe.each(engines)('scheduled delivery on %s', (engine) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof captureSmtp>>;
  let receiver: Server;
  const posted: { headers: Record<string, unknown>; body: { title: string; text: string; incidentUrl: string } }[] = [];
  // The Feishu robot's cards (the same local receiver, another path).
  const cards: { card: { elements: { tag: string; actions?: { text: { content: string }; url: string }[] }[] } }[] = [];
  const clock = manualClock('2026-11-01T23:30:00Z'); // Monday Nov 2, 07:30 in Shanghai
  let ws: string;

  beforeAll(async () => {
    smtp = await captureSmtp();
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        if (req.url === '/feishu') cards.push(JSON.parse(data));
        else posted.push({ headers: req.headers, body: JSON.parse(data) });
        res.writeHead(200).end('{"code":0}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    t = await testApp(engine, {
      clock,
      config: { smtpUrl: smtp.url, publicUrl: 'http://kefu.test', outboundAllowList: '127.0.0.1' },
    });
    ws = (await t.workspace('deliver')).id;
    const db = allTables(t.s);
    const port = (receiver.address() as { port: number }).port;
    const now = clock.now().toISOString();
    await db
      .insertInto('incident_channels')
      .values({
        id: 'chn_rep',
        workspace_id: ws,
        name: '值班群 webhook',
        kind: 'webhook',
        config: t.s.cipher.encrypt(
          JSON.stringify({ url: `http://127.0.0.1:${port}/hook`, secret: 'a-secret-of-16-chars' }),
        ),
        enabled: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('incident_channels')
      .values({
        id: 'chn_feishu',
        workspace_id: ws,
        name: '飞书群',
        kind: 'feishu',
        config: t.s.cipher.encrypt(JSON.stringify({ url: `http://127.0.0.1:${port}/feishu` })),
        enabled: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // The weekly inspection runs npm audit (the registry): off here; the merchant's owner gets the daily report by mail.
    await db
      .insertInto('report_schedules')
      .values([
        { workspace_id: ws, type: 'weekly', enabled: 0, local_time: '08:00', recipients: '[]', updated_at: now },
        {
          workspace_id: ws,
          type: 'daily',
          enabled: 1,
          local_time: '08:00',
          recipients: JSON.stringify(['boss@shop.example']),
          updated_at: now,
        },
      ])
      .execute();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    receiver?.close();
  });

  it('knows the scheduled instants in the zone', () => {
    const now = Date.parse('2026-11-02T00:05:00Z'); // Mon 08:05 +08:00
    expect(lastDue('daily', 'Asia/Shanghai', '08:00', now)).toEqual({
      at: Date.parse('2026-11-02T00:00:00Z'),
      periodKey: '2026-11-01',
    });
    expect(lastDue('weekly', 'Asia/Shanghai', '08:00', now)).toEqual({
      at: Date.parse('2026-11-02T00:00:00Z'),
      periodKey: '2026-W44',
    });
    expect(lastDue('monthly-cs', 'Asia/Shanghai', '08:00', now)).toEqual({
      at: Date.parse('2026-11-01T00:00:00Z'),
      periodKey: '2026-10',
    });
    // At 07:59 the daily instant is yesterday's: it reports on the day before yesterday.
    expect(lastDue('daily', 'Asia/Shanghai', '08:00', Date.parse('2026-11-01T23:59:00Z')).periodKey).toBe('2026-10-31');
  });

  it('produces, mails and posts the due reports with a signed link that opens without signing in', async () => {
    clock.set('2026-11-02T00:05:00Z');
    const produced = await runTick(t.s);
    expect(produced.map((p) => p.split(' ').slice(1).join(' ')).sort()).toEqual([
      'daily 2026-11-01',
      'monthly-cs 2026-10',
      'monthly-ops 2026-10',
    ]);
    const daily = smtp.received.find((m) => m.to === 'boss@shop.example');
    expect(daily?.data).toMatch(/Subject: =\?UTF-8\?|Subject: \[Kefu\]/);
    const link = /http:\/\/kefu\.test\/api\/reports\/shared\?t=[^\s]+/.exec(daily!.data.replace(/=\r?\n/g, ''))![0];
    expect(posted.length).toBe(3);
    expect(posted[0]!.headers['x-kefu-signature']).toBeTruthy();
    expect(posted.map((p) => p.body.text).join('\n')).toMatch(/健康日报 · 2026-11-01/);
    // The summary reads in the workspace's language (zh-CN here), not as the document's keys.
    const texts = posted.map((p) => p.body.text).join('\n');
    expect(texts).toMatch(/新会话 0 · 首次响应中位数 /);
    expect(texts).toMatch(/异常小时 \d+ · 未恢复事件 \d+/);
    expect(texts).not.toMatch(/frtP50|cpuPeak|resolutionRate|openIncidents/);
    const open = await t.app.inject({ method: 'GET', url: link.replace('http://kefu.test', '').replace(/=3D/g, '=') });
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('健康日报');
    // The robots' link button names a report, not an incident; the link is there once.
    expect(cards.length).toBe(3);
    const buttons = cards.flatMap((c) => c.card.elements.flatMap((e) => e.actions ?? []));
    expect(buttons.map((b) => b.text.content)).toEqual(['查看报告', '查看报告', '查看报告']);
    expect(buttons[0]!.url).toMatch(/^http:\/\/kefu\.test\/api\/reports\/shared\?t=/);
    expect(posted[0]!.body.text).not.toContain('http://kefu.test');
    expect(posted[0]!.body.incidentUrl).toMatch(/\/api\/reports\/shared\?t=/);
    const forged = await t.app.inject({
      method: 'GET',
      url: `/api/reports/shared?t=${'x'.repeat(40)}.${'y'.repeat(43)}`,
    });
    expect(forged.statusCode).toBe(404);
    // A second tick finds them stored: nothing again.
    expect(await runTick(t.s)).toEqual([]);
    expect(posted.length).toBe(3);
  }, 120_000); // the first report starts the process's report worker (its imports: seconds on a loaded machine)

  it('counts a report missing two hours after its instant as overdue (the P3 rule ReportOverdue)', async () => {
    clock.set('2026-11-03T02:30:00Z'); // Tue 10:30: the daily report of Nov 2 is 2.5 h late
    expect(await overdueReports(t.s)).toBe(1);
    await runTick(t.s);
    expect(await overdueReports(t.s)).toBe(0);
  });

  it('gives a workspace made after the instant two hours from its creation (no alert on a fresh install)', async () => {
    clock.set('2026-11-03T06:00:00Z'); // Tue 14:00: every report type is past its instant
    await t.workspace('fresh');
    clock.set('2026-11-03T07:55:00Z'); // 1 h 55 min later: the ticks still have time
    expect(await overdueReports(t.s)).toBe(0);
    clock.set('2026-11-03T08:05:00Z'); // 2 h 5 min after creation and still nothing produced: late
    expect(await overdueReports(t.s)).toBe(reportTypes.length);
  });
});
