/**
 * PDF documents without a browser or a system font (reports, penalty statements).
 *
 * API (everything a caller needs):
 * - `const pdf = createPdf({ title, author?, subject?, landscape? })` — A4, 48 pt margins, Noto
 *   Sans SC (from the `@expo-google-fonts/noto-sans-sc` npm package) embedded as a subset holding
 *   only the glyphs used, so Chinese renders on any reader and the file stays small.
 * - `pdf.heading(text, level = 1 | 2 | 3)`, `pdf.paragraph(text, { muted?, size? })`,
 *   `pdf.keyValues([[label, value], …])`, `pdf.table({ columns: [{ header, width?, align? }],
 *   rows: string[][] })` (repeats the header after a page break), `pdf.chart(echartsOption,
 *   { width?, height? })` (ECharts rendered server-side to SVG, then drawn as vectors),
 *   `pdf.svg(svgString, width, height)`, `pdf.pageBreak()`, `pdf.spacer(pt)`.
 * - `await pdf.toBuffer()` ends the document and returns its bytes.
 * - `chartSvg(option, width, height)` gives the SVG alone (the HTML rendering uses it too).
 *
 * Page numbers ("title · n / N") are stamped in the footer of every page at the end.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import * as echarts from 'echarts';

const require = createRequire(import.meta.url);
const FONT_REGULAR = 'NotoSansSC';
const FONT_BOLD = 'NotoSansSC-Bold';
let fonts: { regular: Buffer; bold: Buffer } | undefined;

/** The font files, read once per process (about 10 MB each; only used glyphs go into a PDF). */
function fontFiles(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = require.resolve('@expo-google-fonts/noto-sans-sc/package.json').replace(/package\.json$/, '');
    fonts = {
      regular: readFileSync(`${dir}400Regular/NotoSansSC_400Regular.ttf`),
      bold: readFileSync(`${dir}700Bold/NotoSansSC_700Bold.ttf`),
    };
  }
  return fonts;
}

/**
 * Column widths by content: a column without a fixed width gets the width of its longest cell
 * (of the header, its longest word, a Chinese character being one), so short columns such as dates never wrap; when the natural widths do not
 * fit, the widest columns are cut down to one common cap (found by bisection) and wrap, never the
 * narrow ones; spare room is shared in proportion to the natural widths. At least 30 pt each.
 */
export function flexibleWidths(
  table: { columns: readonly PdfColumn[]; rows: readonly (readonly string[])[] },
  available: number,
  measure: (text: string, bold: boolean) => number,
  flexible = table.columns.filter((c) => !c.width).length,
): number[] {
  const min = 30;
  const natural = table.columns.map((c, i) =>
    c.width
      ? 0
      : Math.max(
          min,
          // A header wraps between its words and between any two Chinese characters: its longest word counts.
          ...(c.header.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+/g) ?? ['']).map((w) =>
            measure(w, true),
          ),
          ...table.rows.map((r) => measure(r[i] ?? '', false)),
        ),
  );
  const sum = natural.reduce((a, b) => a + b, 0);
  let widths: number[];
  if (sum <= available) widths = natural.map((w) => (sum ? w + ((available - sum) * w) / sum : available / flexible));
  else {
    let lo = min;
    let hi = Math.max(...natural);
    for (let k = 0; k < 40; k++) {
      const cap = (lo + hi) / 2;
      if (natural.reduce((a, w) => a + Math.min(w, cap), 0) > available) hi = cap;
      else lo = cap;
    }
    widths = natural.map((w) => Math.max(min, Math.min(w, lo)));
  }
  return table.columns.map((c, i) => c.width ?? widths[i]!);
}

export type PdfColumn = { header: string; width?: number; align?: 'left' | 'right' | 'center' };
export type PdfTable = { columns: PdfColumn[]; rows: readonly (readonly string[])[] };
export type PdfOptions = {
  title: string;
  author?: string;
  subject?: string;
  landscape?: boolean;
  /** Creation date written into the file (default: now); reports pass their production time. */
  createdAt?: Date;
};
export type ChartOption = Record<string, unknown>;

/** ECharts option → SVG string, server-side (no DOM, no animation). */
export function chartSvg(option: ChartOption, width = 640, height = 300): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT_REGULAR, fontSize: 10 },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const TEXT = '#1f1f1f';
const MUTED = '#666666';
const RULE = '#d9d9d9';
const HEAD_BG = '#f0f2f5';

export type Pdf = ReturnType<typeof createPdf>;

export function createPdf(options: PdfOptions) {
  const f = fontFiles();
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.landscape ? 'landscape' : 'portrait',
    margins: { top: 48, bottom: 56, left: 48, right: 48 },
    bufferPages: true,
    info: {
      Title: options.title,
      Author: options.author ?? 'Kefu',
      Subject: options.subject ?? '',
      CreationDate: options.createdAt ?? new Date(),
    },
    pdfVersion: '1.7',
  });
  doc.registerFont(FONT_REGULAR, f.regular);
  doc.registerFont(FONT_BOLD, f.bold);
  doc.font(FONT_REGULAR).fontSize(10).fillColor(TEXT);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = () => doc.page.margins.left;
  const contentWidth = () => doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  /** Starts a new page when `height` points do not fit on this one. */
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  const api = {
    doc,
    heading(text: string, level: 1 | 2 | 3 = 1) {
      const size = level === 1 ? 18 : level === 2 ? 14 : 11.5;
      ensure(size * 3);
      if (doc.y > doc.page.margins.top) doc.moveDown(level === 1 ? 0.8 : 0.5);
      doc.font(FONT_BOLD).fontSize(size).fillColor(TEXT).text(text, left(), doc.y, { width: contentWidth() });
      if (level === 1) {
        const y = doc.y + 2;
        doc
          .moveTo(left(), y)
          .lineTo(left() + contentWidth(), y)
          .lineWidth(1)
          .strokeColor(RULE)
          .stroke();
        doc.y = y + 6;
      } else doc.moveDown(0.3);
      doc.font(FONT_REGULAR).fontSize(10);
      return api;
    },
    paragraph(text: string, opts: { muted?: boolean; size?: number } = {}) {
      doc
        .font(FONT_REGULAR)
        .fontSize(opts.size ?? 10)
        .fillColor(opts.muted ? MUTED : TEXT);
      ensure(
        doc.heightOfString(text, { width: contentWidth() }) > 200
          ? 40
          : doc.heightOfString(text, { width: contentWidth() }),
      );
      doc.text(text, left(), doc.y, { width: contentWidth(), lineGap: 2 });
      doc.moveDown(0.4).fillColor(TEXT);
      return api;
    },
    keyValues(pairs: readonly (readonly [string, string])[]) {
      const labelWidth = Math.min(200, contentWidth() * 0.4);
      for (const [label, value] of pairs) {
        doc.fontSize(10);
        const h = Math.max(
          doc.heightOfString(value, { width: contentWidth() - labelWidth }),
          doc.heightOfString(label, { width: labelWidth - 8 }),
          14,
        );
        ensure(h + 4);
        const y = doc.y;
        doc
          .font(FONT_REGULAR)
          .fillColor(MUTED)
          .text(label, left(), y, { width: labelWidth - 8 });
        doc.fillColor(TEXT).text(value, left() + labelWidth, y, { width: contentWidth() - labelWidth });
        doc.y = Math.max(doc.y, y + h) + 2;
      }
      doc.moveDown(0.3);
      return api;
    },
    table(table: PdfTable) {
      const total = contentWidth();
      const fixed = table.columns.reduce((s, c) => s + (c.width ?? 0), 0);
      const flexible = table.columns.filter((c) => !c.width).length;
      const pad = 4;
      const widths = flexibleWidths(
        table,
        total - fixed,
        (text, bold) => {
          doc.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(9);
          return Math.max(...text.split('\n').map((line) => doc.widthOfString(line))) + 2 * pad + 1;
        },
        flexible,
      );
      const rowHeight = (cells: readonly string[], bold: boolean) => {
        doc.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(9);
        return (
          Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * pad }))) + 2 * pad
        );
      };
      const drawRow = (cells: readonly string[], header: boolean) => {
        const h = rowHeight(cells, header);
        if (doc.y + h > bottom()) {
          doc.addPage();
          if (!header)
            drawRow(
              table.columns.map((c) => c.header),
              true,
            );
        }
        const y = doc.y;
        if (header) doc.rect(left(), y, total, h).fill(HEAD_BG);
        let x = left();
        cells.forEach((cell, i) => {
          doc
            .font(header ? FONT_BOLD : FONT_REGULAR)
            .fontSize(9)
            .fillColor(TEXT)
            .text(cell, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: table.columns[i]?.align ?? 'left' });
          x += widths[i]!;
        });
        doc
          .moveTo(left(), y + h)
          .lineTo(left() + total, y + h)
          .lineWidth(0.5)
          .strokeColor(RULE)
          .stroke();
        doc.y = y + h;
      };
      drawRow(
        table.columns.map((c) => c.header),
        true,
      );
      for (const row of table.rows) drawRow(row, false);
      doc.x = left();
      doc.moveDown(0.6);
      doc.font(FONT_REGULAR).fontSize(10);
      return api;
    },
    svg(svg: string, width: number, height: number) {
      const scale = Math.min(1, contentWidth() / width);
      ensure(height * scale + 8);
      SVGtoPDF(doc, svg, left(), doc.y, {
        width: width * scale,
        height: height * scale,
        assumePt: true,
        fontCallback: (_family: string, bold: boolean) => (bold ? FONT_BOLD : FONT_REGULAR),
      });
      doc.y += height * scale + 8;
      doc.x = left();
      return api;
    },
    chart(option: ChartOption, size: { width?: number; height?: number } = {}) {
      const width = size.width ?? Math.round(contentWidth());
      const height = size.height ?? 240;
      return api.svg(chartSvg(option, width, height), width, height);
    },
    spacer(points: number) {
      doc.y += points;
      return api;
    },
    pageBreak() {
      doc.addPage();
      return api;
    },
    async toBuffer(): Promise<Buffer> {
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        const y = doc.page.height - doc.page.margins.bottom + 20;
        // Writing into the bottom margin must not add a page.
        const saved = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        doc
          .font(FONT_REGULAR)
          .fontSize(8)
          .fillColor(MUTED)
          .text(`${options.title} · ${i + 1} / ${range.count}`, left(), y, {
            width: contentWidth(),
            align: 'center',
            lineBreak: false,
          });
        doc.page.margins.bottom = saved;
      }
      doc.end();
      return done;
    },
  };
  return api;
}
