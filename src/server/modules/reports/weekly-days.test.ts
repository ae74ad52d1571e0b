/**
 * The weekly inspection's daily figures on a hand-built week (2026-W45: Mon 2 to Sun 8 November,
 * Asia/Shanghai), one row per day, each the daily health report's figures for that day:
 * - Mon: probe api up at 10:00, down at 10:01 → 50.00 %; p95 minutes 0.1, 0.3, 0.2 s → median
 *   200 / worst 300 ms; p99 0.4, 0.9 s → median (0.4 + 0.9) / 2 = 650 / worst 900 ms; requests 200:
 *   100 → 190 (+90), 500: 0 → 10 (+10) → 10 / 100 = 10.00 %; CPU 0.42, 0.87 → 87.00 %; RSS 512 MB;
 *   free disk 80 then 75.5 GB → 75.5 GB; loop 12.3 ms; online 12 agents / 340 shoppers; a backup ok
 *   and a verification failed → 1 / 2 (the drill is not a backup); a P2 declared (a drill is not counted);
 * - Tue: probe up → 100.00 %; CPU 0.99 at 00:00 exactly (Tuesday's, not Monday's); a backup ok → 1 / 1;
 *   a cancelled incident → 0;
 * - Wed: requests 200: 50 → 80 → 20 (a restart: +30, +20) and no 5xx → 0.00 %;
 * - Sat: an incident declared at 00:00; Sun: one at 23:30; Thu and Fri: nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildOps } from './build-ops.ts';
import type { ReportDocument } from './document.ts';
import type { BackupRunRow, IncidentRow } from './inputs.ts';
import { opsMetrics, type OpsInputs } from './ops-health.ts';
import { toCsv, toHtml, toPdf, toXlsx } from './render.ts';
import { emptyOpsInputs } from './testing.ts';

const at = (local: string) => Date.parse(`${local}+08:00`);
const point = (local: string, v: number) => ({ t: at(local), max: v, mean: v, last: v });
const series = (labels: Record<string, string>, ...points: [string, number][]) => ({
  labels,
  points: points.map(([l, v]) => point(l, v)),
});
const backup = (kind: string, status: string, local: string): BackupRunRow => ({
  kind,
  status,
  startedAt: at(local),
  bytes: null,
  durationMs: 1000,
  error: null,
});
const incident = (n: number, local: string, over: Partial<IncidentRow> = {}): IncidentRow => ({
  id: `inc_${n}`,
  number: n,
  title: `故障 ${n}`,
  severity: 'P2',
  state: 'resolved',
  mode: 'real',
  component: null,
  declaredAt: at(local),
  acknowledgedAt: null,
  resolvedAt: null,
  rootCauseCategory: null,
  rootCause: null,
  ...over,
});

const over: Partial<OpsInputs> = {
  probes: [{ id: 'prb_1', name: 'api', component: 'web_chat' }],
  minute: {
    [opsMetrics.probe]: [
      series({ probe: 'api' }, ['2026-11-02T10:00:00', 1], ['2026-11-02T10:01:00', 0], ['2026-11-03T10:00:00', 1]),
    ],
    [opsMetrics.p95]: [
      series({}, ['2026-11-02T10:00:00', 0.1], ['2026-11-02T10:01:00', 0.3], ['2026-11-02T10:02:00', 0.2]),
    ],
    [opsMetrics.p99]: [series({}, ['2026-11-02T10:00:00', 0.4], ['2026-11-02T10:01:00', 0.9])],
    [opsMetrics.requests]: [
      series(
        { status_code: '200' },
        ['2026-11-02T10:00:00', 100],
        ['2026-11-02T10:01:00', 190],
        ['2026-11-04T10:00:00', 50],
        ['2026-11-04T10:01:00', 80],
        ['2026-11-04T10:02:00', 20],
      ),
      series({ status_code: '500' }, ['2026-11-02T10:00:00', 0], ['2026-11-02T10:01:00', 10]),
    ],
    [opsMetrics.cpu]: [
      series(
        { node: 'n1' },
        ['2026-11-02T09:00:00', 0.42],
        ['2026-11-02T21:00:00', 0.87],
        ['2026-11-03T00:00:00', 0.99],
      ),
    ],
    [opsMetrics.rss]: [series({ node: 'n1' }, ['2026-11-02T09:00:00', 512 * 1024 ** 2])],
    [opsMetrics.diskFree]: [
      series({ node: 'n1' }, ['2026-11-02T09:00:00', 80 * 1024 ** 3], ['2026-11-02T21:00:00', 75.5 * 1024 ** 3]),
    ],
    [opsMetrics.loop]: [series({ node: 'n1' }, ['2026-11-02T09:00:00', 0.0123])],
    [opsMetrics.agentsOnline]: [series({ node: 'n1', workspace: 'shop' }, ['2026-11-02T20:00:00', 12])],
    [opsMetrics.shoppersOnline]: [series({ node: 'n1', workspace: 'shop' }, ['2026-11-02T20:00:00', 340])],
  },
  backups: [
    backup('backup', 'ok', '2026-11-02T03:00:00'),
    backup('verify', 'failed', '2026-11-02T04:00:00'),
    backup('drill', 'ok', '2026-11-02T05:00:00'),
    backup('backup', 'ok', '2026-11-03T03:00:00'),
  ],
  incidents: [
    incident(1, '2026-11-02T11:00:00'),
    incident(2, '2026-11-02T12:00:00', { mode: 'drill' }),
    incident(3, '2026-11-03T12:00:00', { state: 'cancelled' }),
    incident(4, '2026-11-07T00:00:00'),
    incident(5, '2026-11-08T23:30:00'),
  ],
};

const weekly = buildOps(emptyOpsInputs('weekly', '2026-W45', over));
const table = (doc: ReportDocument) => {
  const b = doc.sections.find((s) => s.id === 'days')!.blocks[0]!;
  if (b.kind !== 'table') throw new Error('no table');
  return b;
};
const none = ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];

describe('the weekly inspection’s daily figures', () => {
  it('gives one row per day of the week with the hand-computed figures', () => {
    expect(table(weekly).columns.map((c) => c.en)).toEqual([
      'Day',
      'Availability',
      'API p95 (median / worst)',
      'API p99 (median / worst)',
      '5xx error rate',
      'CPU peak',
      'Memory peak',
      'Least free disk',
      'Event-loop peak',
      'Online peak agents / shoppers',
      'Backups ok / runs',
      'Incidents',
    ]);
    expect(table(weekly).rows).toEqual([
      [
        '2026-11-02',
        '50.00 %',
        '200 ms / 300 ms',
        '650 ms / 900 ms',
        '10.00 %',
        '87.00 %',
        '512 MB',
        '75.5 GB',
        '12.3 ms',
        '12 / 340',
        '1 / 2',
        '1',
      ],
      ['2026-11-03', '100.00 %', '-', '-', '-', '99.00 %', '-', '-', '-', '-', '1 / 1', '0'],
      ['2026-11-04', '-', '-', '-', '0.00 %', '-', '-', '-', '-', '-', '-', '0'],
      ['2026-11-05', ...none, '0'],
      ['2026-11-06', ...none, '0'],
      ['2026-11-07', ...none, '1'],
      ['2026-11-08', ...none, '1'],
    ]);
  });

  it('gives each day the figures of that day’s daily health report', () => {
    // The daily report reads only its day's minutes (as the service loads them).
    const [from, to] = [at('2026-11-02T00:00:00'), at('2026-11-03T00:00:00')];
    const minute = Object.fromEntries(
      Object.entries(over.minute!).map(([k, xs]) => [
        k,
        xs.map((x) => ({ ...x, points: x.points.filter((p) => p.t >= from && p.t < to) })),
      ]),
    );
    const daily = buildOps(emptyOpsInputs('daily', '2026-11-02', { ...over, minute }));
    const perf = daily.sections.find((s) => s.id === 'performance')!.blocks[0]!;
    const values = perf.kind === 'figures' ? perf.items.map((f) => f.value) : [];
    // p99, p95, requests / error rate, CPU, memory, disk, loop, online.
    const monday = table(weekly).rows[0]!;
    expect(values).toEqual([
      monday[3],
      monday[2],
      `100 / ${monday[4]}`,
      monday[5],
      monday[6],
      monday[7],
      monday[8],
      monday[9],
    ]);
  });

  it('renders the table in HTML, CSV, XLSX and PDF', async () => {
    const monday = table(weekly).rows[0]!;
    const html = toHtml(weekly);
    expect(html).toContain('每日指标');
    expect(html).toContain(`<td>${monday.join('</td><td>')}</td>`);
    expect(toCsv(weekly)).toContain(monday.join(','));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(weekly)) as unknown as ArrayBuffer);
    const rows = book.worksheets.flatMap((w) =>
      w.getSheetValues().flatMap((r) => (Array.isArray(r) ? [r.slice(1).map((c) => String(c ?? ''))] : [])),
    );
    for (const row of table(weekly).rows) expect(rows.some((r) => r.join('|').includes(row.join('|')))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'kefu-weekly-days-'));
    const file = join(dir, 'weekly.pdf');
    writeFileSync(file, await toPdf(weekly));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const page = text.split('\f').findIndex((p) => p.includes('每日指标')) + 1;
    expect(page).toBeGreaterThan(0);
    for (const day of ['2026-11-02', '2026-11-08', '87.00 %', '75.5 GB', '12 / 340']) expect(text).toContain(day);
    // The page as an image (look at it): into docs/screenshots with KEFU_WRITE_SCREENSHOTS=1.
    const png = process.env.KEFU_WRITE_SCREENSHOTS
      ? fileURLToPath(new URL('../../../../docs/screenshots/reports-weekly-pdf-days', import.meta.url))
      : join(dir, 'reports-weekly-pdf-days');
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', String(page), '-l', String(page), '-singlefile', file, png]);
  });
});
