/**
 * The monthly statement as a printable page (A4). The PDF both parties file comes from
 * `statement-pdf.ts` (no browser needed); this page is for reading and printing.
 */
import { formatInZone } from '../../lib/time/index.ts';
import type { MonthlyStatement } from './statement.ts';

const esc = (t: string) =>
  t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The statement's words in both languages (the PDF uses them too). */
export const statementWords = {
  zh: {
    title: '故障扣款月度对账单',
    contract: '合同总额',
    rule: '每超时 1 小时扣合同总额的',
    cap: '扣款上限',
    head: ['编号', '标题', '级别', '响应时限', '解决时限', '解决时间', '超时小时', '扣款', '备注'],
    total: '本月扣款合计',
    toDate: '合同期内累计',
    capApplied: '已触及上限',
    drill: '演练，不计',
    excluded: '不计',
    signed: '已确认',
    unsigned: '待确认',
    merchant: '商家',
    vendor: '运维服务商',
    none: '本月无故障',
  },
  en: {
    title: 'Monthly penalty statement',
    contract: 'Contract total',
    rule: 'Deduction per hour over:',
    cap: 'Cap',
    head: ['No.', 'Title', 'Sev.', 'Respond by', 'Resolve by', 'Resolved', 'Hours over', 'Deduction', 'Note'],
    total: 'Deductions this month',
    toDate: 'Term to date',
    capApplied: 'cap applied',
    drill: 'drill, not counted',
    excluded: 'not counted',
    signed: 'signed off',
    unsigned: 'not signed yet',
    merchant: 'Merchant',
    vendor: 'Vendor',
    none: 'No incidents this month',
  },
};

export function statementHtml(st: MonthlyStatement, acceptLanguage: string): string {
  const lang = /^en/i.test(acceptLanguage) ? 'en' : 'zh';
  const w = statementWords[lang];
  const fmt = (ms: number | null) => (ms === null ? '–' : formatInZone(st.timezone, ms).slice(0, 16).replace('T', ' '));
  const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const rows = st.lines
    .map((l) => {
      const note = [
        l.promotion ?? '',
        l.mode === 'drill' ? w.drill : l.excluded ? w.excluded : '',
        l.capApplied ? w.capApplied : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `<tr><td>#${l.number}</td><td>${esc(l.title)}</td><td>${l.severity}</td><td>${fmt(l.respondBy)}</td><td>${fmt(l.resolveBy)}</td><td>${fmt(l.resolvedAt)}</td><td class="n">${Math.round(l.hoursOver * 100) / 100}</td><td class="n">${money(l.deductionCents / 100)}</td><td>${esc(note)}</td></tr>`;
    })
    .join('');
  const sign = (party: 'merchant' | 'vendor') => {
    const s = st.signoffs.find((x) => x.party === party);
    return `<div class="sig"><b>${w[party]}</b>: ${s ? `${w.signed} — ${esc(s.userName)}, ${fmt(Date.parse(s.at))}` : w.unsigned}</div>`;
  };
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${w.title} ${st.month}</title>
<style>@page{size:A4 landscape;margin:14mm}body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;font-size:11px;color:#222}
h1{font-size:18px;margin:0 0 6px}table{border-collapse:collapse;width:100%;margin:10px 0}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left}
th{background:#f2f2f2}.n{text-align:right}.tot{font-size:13px;font-weight:bold}.sig{margin-top:8px}</style></head><body>
<h1>${w.title} · ${st.month}</h1>
<div>${w.contract}: ${money(st.total)} ${st.currency} · ${w.rule} ${st.ratePercentPerHour}% (${st.rounding}) · ${w.cap}: ${money(st.cap)} / ${st.capScope}</div>
<table><thead><tr>${w.head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows || `<tr><td colspan="9">${w.none}</td></tr>`}</tbody></table>
<div class="tot">${w.total}: ${money(st.deduction)} ${st.currency}${st.capApplied ? ` (${w.capApplied})` : ''} · ${w.toDate}: ${money(st.termDeductionToDate)} ${st.currency}</div>
${sign('merchant')}${sign('vendor')}
</body></html>`;
}
