import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartSvg, createPdf, flexibleWidths } from './index.ts';

/** Share of non-white pixels in a binary PPM (P6) image from pdftoppm. */
function inkShare(ppm: Buffer): number {
  const header = ppm.subarray(0, 64).toString('latin1');
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(header);
  if (!m) throw new Error('not a P6 image');
  const pixels = Number(m[1]) * Number(m[2]);
  const data = ppm.subarray(m[0].length);
  let ink = 0;
  for (let i = 0; i < pixels * 3; i += 3) if (data[i]! < 230 || data[i + 1]! < 230 || data[i + 2]! < 230) ink++;
  return ink / pixels;
}

const option = {
  xAxis: { type: 'category', data: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', data: [120, 200, 150, 80, 70, 110, 130], itemStyle: { color: '#1677ff' } }],
};

describe('pdf helper', () => {
  it('renders an ECharts option to an SVG with its data', () => {
    const svg = chartSvg(option, 400, 200);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('周三');
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(7);
  });

  it('renders Chinese text, a table and a chart that pdftoppm shows and pdftotext reads back', async () => {
    const pdf = createPdf({ title: '客服分析月报 Test', createdAt: new Date('2026-11-01T00:00:00Z') });
    pdf
      .heading('客服分析月报 · 2026年10月')
      .paragraph('首次响应时间按最近秩百分位计算（p50、p90）。')
      .keyValues([
        ['解决率', '93.75 %'],
        ['满意度 CSAT', '88.00 %（25 条评价）'],
      ])
      .table({
        columns: [{ header: '渠道' }, { header: '会话数', align: 'right' }, { header: 'p90 (秒)', align: 'right' }],
        rows: [
          ['网页', '1,204', '95'],
          ['微信', '880', '140'],
        ],
      })
      .heading('每日会话量', 2)
      .chart(option, { height: 220 });
    const bytes = await pdf.toBuffer();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The font is subset: the file holds the used glyphs, not the 10 MB font.
    expect(bytes.length).toBeLessThan(400_000);

    const dir = mkdtempSync(join(tmpdir(), 'kefu-pdf-'));
    const file = join(dir, 'page.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('客服分析月报');
    expect(text).toContain('解决率');
    expect(text).toContain('微信');
    expect(text).toContain('周三'); // an axis label of the chart, drawn as text from the SVG

    execFileSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', file, join(dir, 'p')]);
    const ppm = readFileSync(join(dir, 'p-1.ppm'));
    const share = inkShare(ppm);
    expect(share).toBeGreaterThan(0.02); // text, table rules and bars
    expect(share).toBeLessThan(0.6); // not a black page
    // A PNG of the page for people to look at (docs/screenshots/pdf-helper.png in the repository).
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    if (process.env.KEFU_WRITE_SCREENSHOTS) copyFileSync(join(dir, 'page.png'), 'docs/screenshots/pdf-helper.png');
  });

  it('sizes columns by content: narrow ones keep their natural width, the widest are capped alike', () => {
    const measure = (text: string) => text.length * 10; // 10 pt a character
    const columns = [{ header: 'date' }, { header: 'n' }, { header: 'text' }, { header: 'fixed', width: 50 }];
    // Natural widths 100, 30 (the minimum), 400: they fit in 600 → spare room shared in proportion.
    const rows = [['2026-11-02', '7', 'x'.repeat(40)]];
    const fit = flexibleWidths({ columns, rows }, 600, measure);
    expect(fit[3]).toBe(50);
    expect(fit.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(600);
    expect(fit[0]! / fit[2]!).toBeCloseTo(100 / 400);
    // In 250 the cap is 120: the date (100) and the count (30) keep their width, the text is cut to 120.
    const tight = flexibleWidths({ columns, rows }, 250, measure);
    expect(tight[0]).toBeCloseTo(100);
    expect(tight[1]).toBeCloseTo(30);
    expect(tight[2]).toBeCloseTo(120, 3);
  });

  it('does not wrap the dates of a 12-column table (the weekly inspection’s daily figures)', async () => {
    const header = [
      '日期',
      '可用率',
      'API p95（中位 / 最差）',
      'API p99（中位 / 最差）',
      '5xx 错误率',
      'CPU 峰值',
      '内存峰值',
    ];
    const columns = [...header, '磁盘最少剩余', '事件循环峰值', '在线峰值 客服 / 顾客', '备份成功 / 运行', '故障'].map(
      (h) => ({
        header: h,
      }),
    );
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08'];
    const rows = days.map((d) => [
      d,
      '99.95 %',
      '35 / 80 ms',
      '120 / 410 ms',
      '0.02 %',
      '63.0 %',
      '512 MiB',
      '41.2 GiB',
      '8 ms',
      '12 / 340',
      '1 / 1',
      '0',
    ]);
    const pdf = createPdf({ title: '周报 Test', createdAt: new Date('2026-11-09T00:00:00Z') });
    pdf.heading('每日数字', 2).table({ columns, rows });
    const dir = mkdtempSync(join(tmpdir(), 'kefu-pdf-'));
    const file = join(dir, 'weekly.pdf');
    writeFileSync(file, await pdf.toBuffer());
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    // Each date on one line (equal widths broke them into "2026-11-" and "02").
    for (const d of days) expect(text).toContain(d);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'weekly')]);
    if (process.env.KEFU_WRITE_SCREENSHOTS)
      copyFileSync(join(dir, 'weekly.png'), 'docs/screenshots/pdf-weekly-table.png');
  });
});
