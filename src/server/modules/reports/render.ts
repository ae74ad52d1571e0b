/**
 * One report document in every format: HTML (self-contained, charts as server-side SVG), PDF (the
 * shared PDF helper), CSV and XLSX (every table and figure, one sheet per section), JSON (the
 * stored document). Chinese first, English beside it.
 */
import ExcelJS from 'exceljs';
import type { ReportSignoff } from '../../../shared/reports-api.ts';
import { chartSvg, createPdf } from '../../lib/pdf/index.ts';
import { formatInZone } from '../../lib/time/index.ts';
import { cellText, chartOption, type Block, type Cell, type ReportDocument, type Text } from './document.ts';
import type { Format } from './formats.ts';

export { formats, contentTypes, type Format } from './formats.ts';

const both = (x: Text) => (x.zh === x.en || !x.en ? x.zh : `${x.zh} / ${x.en}`);
const zh = (x: Text) => x.zh;
const cell = (c: Cell) => cellText(c, both);
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const parties = { merchant: '商户 / Merchant', vendor: '服务商 / Vendor' } as const;

/**
 * The sign-off lines (kept beside the document, outside its hash): each party with who, when (in
 * the report's zone) and the SHA-256 they signed, or "not signed yet".
 */
export function signoffLines(doc: ReportDocument, signoffs: readonly ReportSignoff[]): [string, string][] {
  return (['merchant', 'vendor'] as const).map((party) => {
    const x = signoffs.find((s) => s.party === party);
    if (!x) return [parties[party], '尚未签署 / Not signed yet'];
    const at = formatInZone(doc.period.zone, Date.parse(x.at)).slice(0, 19).replace('T', ' ');
    return [parties[party], `${x.userName} · ${at} (${doc.period.zone}) · SHA-256 ${x.sha256.slice(0, 16)}…`];
  });
}

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case 'figures':
      return `<dl class="figures">${b.items
        .map(
          (f) =>
            `<div${f.flag ? ` class="${f.flag}"` : ''}><dt>${esc(both(f.label))}</dt><dd>${esc(f.value)}</dd></div>`,
        )
        .join('')}</dl>`;
    case 'table':
      return `${b.title ? `<h3>${esc(both(b.title))}</h3>` : ''}<table><thead><tr>${b.columns
        .map((c) => `<th>${esc(both(c))}</th>`)
        .join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(cell(c))}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'chart':
      return `<figure><figcaption>${esc(both(b.title))}</figcaption>${chartSvg(chartOption(b, both), 720, 260)}</figure>`;
    case 'note':
      return `<p class="note">${esc(b.text.zh).replace(/\n/g, '<br>')}${b.text.en && b.text.en !== b.text.zh ? `<br><span class="en">${esc(b.text.en).replace(/\n/g, '<br>')}</span>` : ''}</p>`;
  }
}

export function toHtml(doc: ReportDocument, sha256?: string, signoffs?: readonly ReportSignoff[]): string {
  const sections = doc.sections
    .map(
      (s) =>
        `<section id="${esc(s.id)}"><h2>${esc(both(s.title))}</h2>${
          s.noSource ? `<p class="nosource">${esc(both(s.noSource))}</p>` : s.blocks.map(htmlBlock).join('')
        }</section>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(both(doc.title))}</title><style>
body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#1f1f1f}
h1{font-size:22px;border-bottom:1px solid #d9d9d9;padding-bottom:8px}h2{font-size:17px;margin-top:28px}h3{font-size:14px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left}th{background:#f0f2f5}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px}.figures div{background:#fafafa;padding:8px;border-radius:6px}
.figures dt{color:#666;font-size:12px}.figures dd{margin:0;font-size:16px;font-weight:600}.risk dd,.anomaly dd{color:#cf1322}
.note,.nosource{color:#555;font-size:13px}.nosource{font-style:italic}.en{color:#888}svg{max-width:100%;height:auto}.meta{color:#666;font-size:12px}
</style></head><body><h1>${esc(both(doc.title))}</h1><p class="meta">${esc(doc.period.start)} – ${esc(doc.period.end)} (${esc(doc.period.zone)})${
    sha256 ? ` · SHA-256 ${esc(sha256)}` : ''
  }</p>${
    signoffs
      ? `<section id="signoffs"><h2>签署 / Sign-off</h2><dl class="figures">${signoffLines(doc, signoffs)
          .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
          .join('')}</dl></section>`
      : ''
  }${sections}<section id="appendix"><h2>附录：定义 / Appendix: definitions</h2><ol>${doc.appendix
    .map((a) => `<li>${esc(a.zh)}<br><span class="en">${esc(a.en)}</span></li>`)
    .join('')}</ol></section></body></html>`;
}

/** Rows of every table and figure: section, block, then the cells (the CSV and XLSX share them). */
function rowsOf(doc: ReportDocument): { section: string; rows: string[][] }[] {
  return doc.sections.map((s) => {
    const rows: string[][] = [];
    if (s.noSource) rows.push([both(s.noSource)]);
    for (const b of s.blocks) {
      if (b.kind === 'figures') for (const f of b.items) rows.push([both(f.label), f.value]);
      else if (b.kind === 'table') {
        if (b.title) rows.push([both(b.title)]);
        rows.push(b.columns.map(both), ...b.rows.map((r) => r.map(cell)));
      } else if (b.kind === 'note') rows.push([both(b.text)]);
      else {
        const o = chartOption(b, both) as { xAxis?: { data?: unknown[] }; series?: { data?: unknown[] }[] };
        rows.push([both(b.title)]);
        if (o.xAxis?.data && o.series?.[0]?.data)
          o.xAxis.data.forEach((x, k) => rows.push([String(x), String(o.series![0]!.data![k] ?? '')]));
      }
      rows.push([]);
    }
    return { section: both(s.title), rows };
  });
}

const csvCell = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

export function toCsv(doc: ReportDocument, signoffs?: readonly ReportSignoff[]): string {
  const lines: string[][] = [[both(doc.title)], [`${doc.period.start} – ${doc.period.end}`, doc.period.zone], []];
  if (signoffs) lines.push(['## 签署 / Sign-off'], ...signoffLines(doc, signoffs), []);
  for (const s of rowsOf(doc)) lines.push([`## ${s.section}`], ...s.rows);
  // A BOM so Excel opens the UTF-8 Chinese text correctly.
  return '\ufeff' + lines.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export async function toXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kefu';
  const used = new Set<string>();
  for (const [n, s] of rowsOf(doc).entries()) {
    // Sheet names: at most 31 characters, no []:*?/\ and unique.
    let name =
      s.section
        .split(' / ')[0]!
        .replace(/[[\]:*?/\\]/g, ' ')
        .slice(0, 28) || `S${n + 1}`;
    if (used.has(name)) name = `${name.slice(0, 26)}-${n + 1}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow([s.section]).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 22));
  }
  const defs = wb.addWorksheet('定义 Definitions');
  for (const a of doc.appendix) defs.addRow([a.zh, a.en]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function toPdf(
  doc: ReportDocument,
  sha256?: string,
  signoffs?: readonly ReportSignoff[],
): Promise<Buffer> {
  const pdf = createPdf({ title: both(doc.title), subject: doc.type, createdAt: new Date(doc.asOf) });
  pdf.heading(both(doc.title));
  pdf.paragraph(`${doc.period.start} – ${doc.period.end} (${doc.period.zone})${sha256 ? `\nSHA-256 ${sha256}` : ''}`, {
    muted: true,
    size: 8.5,
  });
  if (signoffs) {
    pdf.heading('签署 / Sign-off', 2);
    pdf.keyValues(signoffLines(doc, signoffs));
  }
  for (const s of doc.sections) {
    pdf.heading(both(s.title), 2);
    if (s.noSource) {
      pdf.paragraph(both(s.noSource), { muted: true });
      continue;
    }
    for (const b of s.blocks) {
      if (b.kind === 'figures') pdf.keyValues(b.items.map((f) => [both(f.label), f.value] as const));
      else if (b.kind === 'table') {
        if (b.title) pdf.heading(both(b.title), 3);
        pdf.table({
          columns: b.columns.map((c) => ({ header: c.zh })),
          rows: b.rows.map((r) => r.map((c) => cellText(c, zh))),
        });
      } else if (b.kind === 'chart') {
        pdf.heading(both(b.title), 3);
        pdf.chart(chartOption(b, zh), { height: 200 });
      } else pdf.paragraph(`${b.text.zh}${b.text.en && b.text.en !== b.text.zh ? `\n${b.text.en}` : ''}`, { size: 9 });
    }
  }
  pdf.heading('附录：定义 / Appendix: definitions', 2);
  for (const a of doc.appendix) pdf.paragraph(`${a.zh}\n${a.en}`, { size: 8.5, muted: true });
  return pdf.toBuffer();
}

/** `signoffs`: shown with the report when given (they are not part of the hashed document). */
export async function render(
  doc: ReportDocument,
  format: Format,
  sha256?: string,
  signoffs?: readonly ReportSignoff[],
): Promise<Buffer> {
  switch (format) {
    case 'html':
      return Buffer.from(toHtml(doc, sha256, signoffs));
    case 'pdf':
      return toPdf(doc, sha256, signoffs);
    case 'csv':
      return Buffer.from(toCsv(doc, signoffs));
    case 'xlsx':
      return toXlsx(doc);
    case 'json':
      return Buffer.from(JSON.stringify(doc, null, 2));
  }
}
