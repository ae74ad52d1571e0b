import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartSvg, createPdf } from './index.ts';

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
});
