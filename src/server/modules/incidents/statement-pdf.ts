/**
 * The monthly penalty statement as a PDF both parties file, made without a browser by the shared
 * PDF helper (`lib/pdf`: pdfkit with Noto Sans SC subset into the file): the same figures and
 * words as the printable page, one row per incident, totals, and each party's sign-off.
 */
import { formatInZone } from '../../lib/time/index.ts';
import { statementWords } from './statement-html.ts';
import type { MonthlyStatement } from './statement.ts';

export async function statementPdf(st: MonthlyStatement, acceptLanguage: string, now: Date): Promise<Buffer> {
  // The PDF helper (pdfkit, ECharts, fontkit) loads on the first statement, not with the server.
  const { createPdf } = await import('../../lib/pdf/index.ts');
  const lang = /^en/i.test(acceptLanguage) ? 'en' : 'zh';
  const w = statementWords[lang];
  const fmt = (ms: number | null) => (ms === null ? '–' : formatInZone(st.timezone, ms).slice(0, 16).replace('T', ' '));
  const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pdf = createPdf({ title: `${w.title} ${st.month}`, subject: w.title, landscape: true, createdAt: now });
  pdf.heading(`${w.title} · ${st.month}`, 1);
  pdf.keyValues([
    [w.contract, `${money(st.total)} ${st.currency}`],
    [w.rule.replace(/[:：]$/, ''), `${st.ratePercentPerHour}% (${st.rounding})`],
    [w.cap, `${money(st.cap)} ${st.currency} / ${st.capScope}`],
  ]);
  const rows = st.lines.map((l) => [
    `#${l.number}`,
    l.title,
    l.severity,
    fmt(l.respondBy),
    fmt(l.resolveBy),
    fmt(l.resolvedAt),
    String(Math.round(l.hoursOver * 100) / 100),
    money(l.deductionCents / 100),
    [l.promotion ?? '', l.mode === 'drill' ? w.drill : l.excluded ? w.excluded : '', l.capApplied ? w.capApplied : '']
      .filter(Boolean)
      .join('; '),
  ]);
  const [no, title, sev, respondBy, resolveBy, resolved, hours, deduction, note] = w.head;
  pdf.table({
    columns: [
      { header: no, width: 36 },
      { header: title },
      { header: sev, width: 34 },
      { header: respondBy, width: 82 },
      { header: resolveBy, width: 82 },
      { header: resolved, width: 82 },
      { header: hours, width: 50, align: 'right' },
      { header: deduction, width: 70, align: 'right' },
      { header: note, width: 90 },
    ],
    rows: rows.length ? rows : [['', w.none, '', '', '', '', '', '', '']],
  });
  pdf.paragraph(
    `${w.total}: ${money(st.deduction)} ${st.currency}${st.capApplied ? ` (${w.capApplied})` : ''} · ${w.toDate}: ${money(st.termDeductionToDate)} ${st.currency}`,
    { size: 12 },
  );
  for (const party of ['merchant', 'vendor'] as const) {
    const s = st.signoffs.find((x) => x.party === party);
    pdf.paragraph(`${w[party]}: ${s ? `${w.signed} — ${s.userName}, ${fmt(Date.parse(s.at))}` : w.unsigned}`);
  }
  return pdf.toBuffer();
}
