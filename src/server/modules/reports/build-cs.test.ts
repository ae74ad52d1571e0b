/**
 * The monthly CS report's figures by group and in business hours, on hand-built data (Asia/Shanghai,
 * October 2026; the office inbox works Mon–Fri 09:00–18:00, the other has no hours):
 * - c1 (office, 售后组): asked Fri 10-09 17:50, answered Mon 10-12 09:10, resolved Mon 10:00 —
 *   wall 228,000 s / 231,000 s; working time 10 + 10 min = 1,200 s and 10 + 60 min = 4,200 s;
 * - c2 (around the clock, 售前组): Wed 10-14 03:00, answered 03:05, resolved 04:00 — 300 s / 3,600 s;
 * - c3 (office, no group): Tue 10-13 10:00, answered 10:02 (120 s), unresolved.
 * Working-time FRT [120, 300, 1200] → p50 300, p90 1200; resolution [3600, 4200] → p50 3600, p90 4200.
 */
import { describe, expect, it } from 'vitest';
import { buildMonthlyCs } from './build-cs.ts';
import { chartOption, fmtSeconds, type ReportDocument } from './document.ts';
import { clustererOf } from './hot-questions.ts';
import type { CsConversationRow } from './inputs.ts';
import { parsePeriod, shiftPeriod } from './periods.ts';
import { render } from './render.ts';

const zone = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const office = [['09:00', '18:00']] as [string, string][];

function conv(
  id: string,
  inboxId: string,
  asked: string,
  answered: string,
  resolved: string | null,
): CsConversationRow {
  return {
    id,
    createdAt: at(asked),
    messages: [
      { at: at(asked), from: 'customer' },
      { at: at(answered), from: 'agent', agentId: 'usr_1' },
    ],
    resolvedAt: resolved ? [at(resolved)] : [],
    reopenedAt: [],
    inboxId,
    channel: 'web',
    inboxName: inboxId === 'inb_office' ? '工作日入口' : '全天入口',
    assigneeId: 'usr_1',
    firstCustomerText: '你好',
  };
}

function build(): ReportDocument {
  const period = parsePeriod('month', '2026-10', zone)!;
  return buildMonthlyCs({
    workspaceId: 'wsp_1',
    period,
    previous: shiftPeriod(period, 1),
    data: {
      conversations: [
        conv('c1', 'inb_office', '2026-10-09T17:50:00', '2026-10-12T09:10:00', '2026-10-12T10:00:00'),
        conv('c2', 'inb_24', '2026-10-14T03:00:00', '2026-10-14T03:05:00', '2026-10-14T04:00:00'),
        conv('c3', 'inb_office', '2026-10-13T10:00:00', '2026-10-13T10:02:00', null),
      ],
      agents: new Map([['usr_1', '小王']]),
    },
    ratings: [],
    incidents: [],
    sla: [],
    cluster: clustererOf([]),
    groups: new Map([
      ['c1', '售后组'],
      ['c2', '售前组'],
    ]),
    calendars: new Map([
      [
        'inb_office',
        {
          timezone: zone,
          hours: { mon: office, tue: office, wed: office, thu: office, fri: office },
          holidays: [],
          overrides: [],
        },
      ],
      ['inb_24', null],
    ]),
  });
}

const figure = (doc: ReportDocument, en: string) =>
  doc.sections
    .flatMap((s) => s.blocks)
    .flatMap((b) => (b.kind === 'figures' ? b.items : []))
    .find((x) => x.label.en === en);

describe('monthly CS report by group and in business hours', () => {
  it('counts the two times in each inbox’s working hours, beside the wall-clock ones', () => {
    const doc = build();
    expect(figure(doc, 'First response p50 / p90')?.value).toBe(`${fmtSeconds(300)} / ${fmtSeconds(228_000)}（n=3）`);
    expect(figure(doc, 'First response in business hours p50 / p90')?.value).toBe(
      `${fmtSeconds(300)} / ${fmtSeconds(1200)}（n=3）`,
    );
    expect(figure(doc, 'Resolution time p50 / p90')?.value).toBe(`${fmtSeconds(3600)} / ${fmtSeconds(231_000)}（n=2）`);
    expect(figure(doc, 'Resolution time in business hours p50 / p90')?.value).toBe(
      `${fmtSeconds(3600)} / ${fmtSeconds(4200)}（n=2）`,
    );
    expect(figure(doc, 'First response in business hours p50 / p90')?.drill?.ids).toEqual(['c1', 'c2', 'c3']);
  });

  it('has a table by group (conversations never routed to a group count for none)', () => {
    const doc = build();
    const table = doc.sections
      .find((s) => s.id === 'breakdown')!
      .blocks.find((b) => b.kind === 'table' && b.title?.en === 'By group');
    expect(table?.kind === 'table' && table.rows.map((r) => r.slice(0, 4))).toEqual([
      ['售前组', '1', fmtSeconds(300), fmtSeconds(300)],
      ['售后组', '1', fmtSeconds(228_000), fmtSeconds(228_000)],
    ]);
    expect(doc.appendix.map((x) => x.en).join('\n')).toMatch(/Business-hours variants: .*inbox/);
    expect(doc.appendix.map((x) => x.en).join('\n')).toMatch(/By group: /);
    expect(doc.appendix.map((x) => x.en).join('\n')).toMatch(/Hot questions: .*differ only by their order number/);
  });

  it('compares with the previous month in a table whose labels are bilingual and cells language-neutral', () => {
    const table = build()
      .sections.flatMap((s) => s.blocks)
      .find((b) => b.kind === 'table' && b.title?.en === 'Against the previous month');
    if (table?.kind !== 'table') throw new Error('no comparison table');
    expect(table.columns.map((c) => [c.zh, c.en])).toEqual([
      ['月份', 'Month'],
      ['首次响应 p50', 'First response p50'],
      ['首次响应 p90', 'First response p90'],
      ['解决率', 'Resolution rate'],
      ['一次解决率', 'First-contact resolution'],
    ]);
    // October: FRT [120, 300, 228,000] → p50 rank 2 = 300, p90 rank 3 = 228,000; resolved at the end
    // c1, c2 of 3 → 66.67 %; first resolved c1, c2, one agent, never reopened → 100 %. September is empty.
    expect(table.rows).toEqual([
      ['2026-10', fmtSeconds(300), fmtSeconds(228_000), '66.67 %', '100.00 %'],
      ['2026-09', '-', '-', '-', '-'],
    ]);
    for (const cell of table.rows.flat()) expect(cell).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('shows both in the HTML, CSV and XLSX', async () => {
    const doc = build();
    for (const f of ['html', 'csv'] as const) {
      const text = (await render(doc, f, 'x'.repeat(64))).toString();
      expect(text, f).toContain('首次响应（工作时间）p50 / p90');
      expect(text, f).toContain('按客服组');
      expect(text, f).toContain('售后组');
    }
    const xlsx = await render(doc, 'xlsx', 'x'.repeat(64));
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });

  it('labels the weekdays in both languages: the reader’s in the console, Chinese in the PDF, both in HTML and CSV', async () => {
    const doc = build();
    const chart = doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'chart' && b.title.en === 'By weekday');
    if (chart?.kind !== 'chart') throw new Error('no weekday chart');
    const axis = (lang: 'zh' | 'en') => (chartOption(chart, (x) => x[lang]).xAxis as { data: string[] }).data;
    expect(axis('zh')).toEqual(['周一', '周二', '周三', '周四', '周五', '周六', '周日']);
    expect(axis('en')).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    // c1 Fri, c2 Wed, c3 Tue.
    expect((chart.option.series as { data: number[] }[])[0]!.data).toEqual([0, 1, 1, 0, 1, 0, 0]);
    const csv = (await render(doc, 'csv', 'x'.repeat(64))).toString();
    expect(csv).toContain('周三 / Wed,1');
    expect(csv).toContain('周五 / Fri,1');
  });
});
