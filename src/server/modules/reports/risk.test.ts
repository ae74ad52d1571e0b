/**
 * The daily report's SLA risk on both engines, hand-computed (Asia/Shanghai; the daily report of
 * Tue 2026-03-03, period end Wed 00:00; calendar Mon–Fri 09:00–12:00, 13:30–18:00; policy
 * first response 30 min, resolution 480 working minutes; the next working day is Wed → horizon Thu 00:00):
 * - #1005 created Tue 17:00, no reply: first response due Tue 17:30 (breached, −6.5 h); resolution
 *   60 min Tue + 420 min Wed (180 morning, 240 from 13:30) → Wed 17:30 (+17.5 h);
 * - #1002 created Tue 10:00, replied 10:10 (first response met): resolution 120 + 270 = 390 min Tue,
 *   90 more Wed → Wed 10:30 (+10.5 h); solved Wed 08:00, after the end: still at risk at the end;
 * - #1003 created Tue 11:00, pending from 11:05: paused, not listed; #1004 solved Tue 15:00: not listed;
 * - #1001 created Tue 09:00 with the Slow policy (resolution 2,400 min = 5 working days): due next
 *   week, not listed; #1006 created Wed 00:30, after the end: not listed.
 * - incidents (contract P2 30/240 min, P3 60/480 min, elapsed time): P2 declared Tue 21:00 →
 *   respond by 21:30 (−2.5 h), resolve by Wed 01:00 (+1 h); P3 declared Tue 22:00, acknowledged
 *   22:10 → ✓, resolve by Wed 06:00 (+6 h).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { declareIncident, transitionIncident } from '../incidents/index.ts';
import type { Block, ReportDocument } from './document.ts';
import { produceReport } from './service.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const hours = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const calendar = {
  timezone: 'Asia/Shanghai',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, hours])),
  holidays: [],
  overrides: [],
};
const tables = (doc: ReportDocument) =>
  doc.sections
    .find((s) => s.id === 'open-incidents')!
    .blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');

describe.each(engines)('daily report: open incidents and SLA risk on %s', (engine) => {
  let t: TestApp;
  let doc: ReportDocument;
  const clock = manualClock(at('2026-03-03T09:00:00'));
  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const { owner, id: ws } = await t.workspace(`risk-${engine}`);
    const cal = (await owner.post('/api/calendars', { name: '工作日', definition: calendar })).json();
    await owner.post('/api/sla-policies', {
      name: 'Slow',
      conditions: { priorities: ['low'] },
      targets: { resolution: 2400 },
      calendarId: cal.id,
    });
    await owner.post('/api/sla-policies', {
      name: 'Standard',
      targets: { firstResponse: 30, resolution: 480 },
      calendarId: cal.id,
    });
    let client = owner;
    const ticket = async (local: string, subject: string, extra: Record<string, unknown> = {}) => {
      clock.set(at(local));
      return (await client.post('/api/tickets', { subject, ...extra })).json() as { id: string; version: number };
    };
    const status = async (local: string, tk: { id: string }, to: string) => {
      clock.set(at(local));
      const cur = (await client.get(`/api/tickets/${tk.id}`)).json();
      expect((await client.patch(`/api/tickets/${tk.id}`, { version: cur.version, status: to })).statusCode).toBe(200);
    };
    await ticket('2026-03-03T09:00:00', '慢单', { priority: 'low' });
    const b = await ticket('2026-03-03T10:00:00', '退货进度');
    clock.set(at('2026-03-03T10:10:00'));
    await owner.post(`/api/tickets/${b.id}/replies`, { body: '已在处理' });
    const c = await ticket('2026-03-03T11:00:00', '等顾客回复');
    await status('2026-03-03T11:05:00', c, 'pending');
    const d = await ticket('2026-03-03T14:00:00', '已解决');
    await status('2026-03-03T15:00:00', d, 'solved');
    await ticket('2026-03-03T17:00:00', '物流没更新');
    clock.set(at('2026-03-03T21:00:00'));
    await declareIncident(t.s, ws, {
      title: '支付回调失败',
      description: '',
      severity: 'P2',
      mode: 'real',
      source: 'console',
    });
    clock.set(at('2026-03-03T22:00:00'));
    const p3 = await declareIncident(t.s, ws, {
      title: '图片上传慢',
      description: '',
      severity: 'P3',
      mode: 'real',
      source: 'console',
    });
    clock.set(at('2026-03-03T22:10:00'));
    await transitionIncident(t.s, ws, p3.id, 'acknowledged', { via: 'test' });
    clock.set(at('2026-03-04T08:00:00'));
    client = await t.user(ws, 'admin'); // a fresh session the morning after
    await status('2026-03-04T08:00:00', b, 'solved');
    await ticket('2026-03-04T00:30:00', '期末之后');
    clock.set(at('2026-03-04T09:00:00'));
    doc = (await produceReport(t.s, ws, 'daily', '2026-03-03', 'manual')).document;
  }, 120_000);
  afterAll(() => t?.close());

  it('lists the open incidents with the time left on each clock', () => {
    const [incidents] = tables(doc);
    expect(incidents!.columns.map((c) => c.en)).toEqual([
      'No.',
      'Severity',
      'Title',
      'Declared',
      'Respond by (left); ✓ acknowledged',
      'Resolve by (left)',
    ]);
    expect(incidents!.rows).toEqual([
      ['#1', 'P2', '支付回调失败', '2026-03-03T21:00', '2026-03-03T21:30 (−2.5 h)', '2026-03-04T01:00 (+1 h)'],
      ['#2', 'P3', '图片上传慢', '2026-03-03T22:00', '✓ 2026-03-03T22:10', '2026-03-04T06:00 (+6 h)'],
    ]);
  });

  it('lists the open tickets whose SLA is breached or due by the end of the next working day', () => {
    const [, tickets] = tables(doc);
    expect(tickets!.columns.map((c) => c.en)).toEqual([
      'No.',
      'Subject',
      'First response',
      'Next response',
      'Periodic update',
      'Resolution',
    ]);
    expect(tickets!.rows).toEqual([
      ['#1005', '物流没更新', '2026-03-03T17:30 (−6.5 h)', '-', '-', '2026-03-04T17:30 (+17.5 h)'],
      ['#1002', '退货进度', '-', '-', '-', '2026-03-04T10:30 (+10.5 h)'],
    ]);
    const figures = doc.sections.find((s) => s.id === 'open-incidents')!.blocks[0]!;
    expect(figures.kind === 'figures' && figures.items.map((f) => [f.label.en, f.value])).toEqual([
      ['Unresolved incidents', '2'],
      ['Tickets at SLA risk: breached / due by the next working day (not yet breached)', '1 / 1'],
    ]);
  });
});
