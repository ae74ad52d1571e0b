/**
 * The monthly ops summary's penalty statement, on both engines, from incidents declared and
 * resolved through the API (Asia/Shanghai; contract 1,000,000 CNY, 0.5 % per started hour over =
 * 5,000 per hour, cap 5 % = 50,000 over the term):
 * - #1 P2 declared 03-02 10:00, acknowledged 10:10, resolved 16:00: resolve by 14:00, 2 h over → 10,000.00;
 * - #2 P3 declared 03-05 09:00, acknowledged 10:30 (respond by 10:00), resolved 12:00 (resolve by 17:00):
 *   the respond clock broke, which deducts nothing under this contract → 0.00;
 * - #3 P1 declared 03-10 20:00, never acknowledged, resolved 03-11 09:20: resolve by 22:00, 11 h 20 min
 *   → 12 started hours → 60,000 raw, 40,000 left under the cap → 40,000.00 (cap applied);
 * - #4 P2 declared 03-31 22:00, still open at the end of March (resolved 04-01 03:00): listed as open, 0.00.
 * March: 50,000.00, the same as the incidents module's own statement; February: no penalties.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import type { ReportDocument } from './document.ts';
import { toHtml, toPdf } from './render.ts';
import { computeReport, produceReport, verifyReport } from './service.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const contract = {
  total: 1000000,
  currency: 'CNY',
  term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
};

const penalty = (doc: ReportDocument) => doc.sections.find((s) => s.id === 'penalty')!;
const figures = (doc: ReportDocument) =>
  penalty(doc).blocks.flatMap((b) => (b.kind === 'figures' ? b.items.map((f) => [f.label.en, f.value]) : []));
const lines = (doc: ReportDocument) => penalty(doc).blocks.flatMap((b) => (b.kind === 'table' ? b.rows : []));
const notes = (doc: ReportDocument) => penalty(doc).blocks.flatMap((b) => (b.kind === 'note' ? [b.text.en] : []));

describe.each(engines)('the penalty statement in the monthly ops summary on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  let owner: Client;
  let ownerEmail: string;
  const opsEmail = `ops-pen-${engine}@example.com`;
  let open: string;
  const clock = manualClock(at('2026-03-02T10:00:00'));

  // Days pass between the steps: each signs in afresh (sessions expire when idle).
  const declare = async (title: string, severity: string, when: string) => {
    clock.set(at(when));
    const r = await (await t.signIn(opsEmail)).post('/api/ops/incidents', { title, severity });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  const move = async (id: string, to: string, when: string) => {
    clock.set(at(when));
    expect((await (await t.signIn(opsEmail)).post(`/api/ops/incidents/${id}/transitions`, { to })).statusCode).toBe(
      200,
    );
  };

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const w = await t.workspace(`pen-${engine}`);
    [ws, owner] = [w.id, w.owner];
    ownerEmail = owner.actor.email;
    await t.user(ws, 'ops', opsEmail);
    expect((await owner.request({ method: 'PUT', url: '/api/ops/contract', payload: contract })).statusCode).toBe(200);
    const one = await declare('工单流转卡住', 'P2', '2026-03-02T10:00:00');
    await move(one, 'acknowledged', '2026-03-02T10:10:00');
    await move(one, 'resolved', '2026-03-02T16:00:00');
    const two = await declare('报表导出慢', 'P3', '2026-03-05T09:00:00');
    await move(two, 'acknowledged', '2026-03-05T10:30:00');
    await move(two, 'resolved', '2026-03-05T12:00:00');
    const three = await declare('客服台无法登录', 'P1', '2026-03-10T20:00:00');
    await move(three, 'resolved', '2026-03-11T09:20:00');
    open = await declare('消息推送延迟', 'P2', '2026-03-31T22:00:00');
    clock.set(at('2026-04-01T00:30:00'));
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows each incident, its breached clock, its amount, the total and the cap: the statement’s figures', async () => {
    const r = await produceReport(t.s, ws, 'monthly-ops', '2026-03', 'manual');
    expect(figures(r.document)).toEqual([
      ['Contract total / deduction per hour over', '1,000,000.00 CNY / 0.5 % (per_started_hour)'],
      ['Cap', '50,000.00 CNY 合同期 / per term'],
      ['Deductions this month', '50,000.00 CNY (已触及上限 / cap applied)'],
      ['Term to date', '50,000.00 CNY'],
    ]);
    expect(lines(r.document)).toEqual([
      ['#1', '工单流转卡住', 'P2', '解决 / resolve', '2026-03-02 14:00', '2026-03-02 16:00', '2', '10,000.00 CNY', '-'],
      ['#2', '报表导出慢', 'P3', '响应 / respond', '2026-03-05 17:00', '2026-03-05 12:00', '0', '0.00 CNY', '-'],
      [
        '#3',
        '客服台无法登录',
        'P1',
        '响应 + 解决 / respond + resolve',
        '2026-03-10 22:00',
        '2026-03-11 09:20',
        '12',
        '40,000.00 CNY',
        '已触及上限 / cap applied',
      ],
      [
        '#4',
        '消息推送延迟',
        'P2',
        '未恢复 / open',
        '2026-04-01 02:00',
        '-',
        '0',
        '0.00 CNY',
        '期末未恢复，恢复后计入 / open at the end, counted once resolved',
      ],
    ]);
    // The HTML and PDF carry the statement (the PDF page as an image in the temp dir: look at it).
    expect(toHtml(r.document)).toContain('<td>40,000.00 CNY</td>');
    const dir = mkdtempSync(join(tmpdir(), 'kefu-penalty-'));
    writeFileSync(join(dir, 'monthly-ops.pdf'), await toPdf(r.document));
    const text = execFileSync('pdftotext', [join(dir, 'monthly-ops.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('赔付对账单');
    expect(text).toContain('40,000.00');
    const page = text.split('\f').findIndex((p) => p.includes('逐条故障')) + 1;
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '70',
      '-f',
      `${page}`,
      '-l',
      `${page}`,
      '-singlefile',
      join(dir, 'monthly-ops.pdf'),
      join(dir, 'penalty'),
    ]);
    // The incidents module's own statement, read now, gives the same figures.
    const st = (await (await t.signIn(ownerEmail)).get('/api/ops/penalties/2026-03')).json();
    expect([st.deduction, st.cap, st.capApplied, st.termDeductionToDate]).toEqual([50000, 50000, true, 50000]);
    expect(st.lines.map((l: { number: number; deductionCents: number }) => [l.number, l.deductionCents])).toEqual([
      [1, 1_000_000],
      [2, 0],
      [3, 4_000_000],
      [4, 0],
    ]);
  }, 120_000); // the first report starts the process's report worker (its imports: seconds on a loaded machine)

  it('keeps the statement as of the period’s end: a later resolution does not change the stored report', async () => {
    const r = await produceReport(t.s, ws, 'monthly-ops', '2026-03', 'manual');
    await move(open, 'resolved', '2026-04-01T03:00:00');
    clock.set(at('2026-04-02T10:00:00'));
    // The incidents page now lists #4 in April (resolved then); the March report still shows it open.
    const march = (await (await t.signIn(ownerEmail)).get('/api/ops/penalties/2026-03')).json();
    expect(march.lines.map((l: { number: number }) => l.number)).toEqual([1, 2, 3]);
    expect(march.deduction).toBe(50000);
    expect(await verifyReport(t.s, ws, r.id)).toEqual({ stored: true, recomputed: true, inputs: 'snapshot' });
  });

  it('keeps the contract’s terms it applied: a later contract edit does not change the recomputed report', async () => {
    const r = await produceReport(t.s, ws, 'monthly-ops', '2026-03', 'manual');
    const edit = (total: number) =>
      owner.request({ method: 'PUT', url: '/api/ops/contract', payload: { ...contract, total } });
    owner = await t.signIn(ownerEmail);
    expect((await edit(2_000_000)).statusCode).toBe(200);
    try {
      // Computed from the contract as it is now, the March statement doubles (cap 100,000 CNY) …
      expect(figures(await computeReport(t.s, ws, 'monthly-ops', '2026-03'))).toContainEqual([
        'Contract total / deduction per hour over',
        '2,000,000.00 CNY / 0.5 % (per_started_hour)',
      ]);
      // … but the stored report is recomputed with the terms it kept.
      expect(await verifyReport(t.s, ws, r.id)).toEqual({ stored: true, recomputed: true, inputs: 'snapshot' });
    } finally {
      expect((await edit(contract.total)).statusCode).toBe(200);
    }
  });

  it('says "no penalties" for a month without incidents, and without a contract nothing is deducted', async () => {
    const feb = await computeReport(t.s, ws, 'monthly-ops', '2026-02');
    expect(figures(feb)).toContainEqual(['Deductions this month', '0.00 CNY']);
    expect(lines(feb)).toEqual([]);
    expect(notes(feb)[0]).toBe('No penalties this month: no incident in the month.');
    const other = await t.workspace(`pen-none-${engine}`);
    const none = await computeReport(t.s, other.id, 'monthly-ops', '2026-03');
    expect(notes(none).slice(0, 2)).toEqual([
      'No contract entered yet: the clocks count the hours over, but nothing is deducted (a total of 0).',
      'No penalties this month: no incident in the month.',
    ]);
  });
});
