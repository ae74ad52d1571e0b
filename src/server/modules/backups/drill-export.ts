/**
 * A stored drill report exported for an auditor or a change ticket: JSON (the stored report with
 * the run around it), CSV (figures, then rows per table; a BOM so Excel reads the Chinese) and a
 * printable HTML page, in the reader's language (zh-CN unless the browser asks for English).
 */
import type { BackupRun } from '../../../shared/backups-api.ts';

export const drillExportFormats = ['json', 'csv', 'html'] as const;
export type DrillExportFormat = (typeof drillExportFormats)[number];

export type DrillExport = {
  runId: string;
  target: string;
  trigger: BackupRun['trigger'];
  startedAt: string;
  finishedAt: string | null;
  status: BackupRun['status'];
  report: {
    ok: boolean;
    backupId: string | null;
    rtoMs: number | null;
    rpoMs: number | null;
    restoreMs: number | null;
    readyMs: number | null;
    bytes: number | null;
    /** `ok`: rows and row checksum match (drills since checksums); older reports compare counts. */
    tables: { name: string; expected: number; restored: number | null; ok?: boolean }[];
    problems: string[];
  };
};

const labels = {
  zh: {
    title: '恢复演练报告',
    run: '运行',
    target: '备份目标',
    trigger: '触发',
    schedule: '定时',
    manual: '手动',
    startedAt: '开始时间（UTC）',
    finishedAt: '结束时间（UTC）',
    result: '结果',
    ok: '通过',
    failed: '未通过',
    backup: '备份',
    rto: 'RTO（恢复到可用，毫秒）',
    rpo: 'RPO（数据时效，毫秒）',
    restore: '恢复耗时（毫秒）',
    ready: '实例就绪（毫秒）',
    bytes: '数据量（字节）',
    problems: '问题',
    table: '表',
    expected: '备份行数',
    restored: '恢复行数',
    match: '一致',
    yes: '是',
    no: '否',
  },
  en: {
    title: 'Restore drill report',
    run: 'Run',
    target: 'Backup target',
    trigger: 'Trigger',
    schedule: 'scheduled',
    manual: 'manual',
    startedAt: 'Started (UTC)',
    finishedAt: 'Finished (UTC)',
    result: 'Result',
    ok: 'passed',
    failed: 'failed',
    backup: 'Backup',
    rto: 'RTO (to a working instance, ms)',
    rpo: 'RPO (age of the data, ms)',
    restore: 'Restore (ms)',
    ready: 'Instance ready (ms)',
    bytes: 'Data (bytes)',
    problems: 'Problems',
    table: 'Table',
    expected: 'Rows backed up',
    restored: 'Rows restored',
    match: 'Match',
    yes: 'yes',
    no: 'no',
  },
};

/** English when the browser prefers it (its first language), Chinese otherwise. */
export const exportLanguage = (acceptLanguage: string | undefined): 'zh' | 'en' =>
  /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'zh';

const num = (n: number | null) => (n === null ? '' : String(n));

function figures(e: DrillExport, lang: 'zh' | 'en'): [string, string][] {
  const l = labels[lang];
  const r = e.report;
  return [
    [l.run, e.runId],
    [l.target, e.target],
    [l.trigger, l[e.trigger]],
    [l.startedAt, e.startedAt],
    [l.finishedAt, e.finishedAt ?? ''],
    [l.result, r.ok ? l.ok : l.failed],
    [l.backup, r.backupId ?? ''],
    [l.rto, num(r.rtoMs)],
    [l.rpo, num(r.rpoMs)],
    [l.restore, num(r.restoreMs)],
    [l.ready, num(r.readyMs)],
    [l.bytes, num(r.bytes)],
    [l.problems, r.problems.join('; ')],
  ];
}

function tableRows(e: DrillExport, lang: 'zh' | 'en'): string[][] {
  const l = labels[lang];
  return e.report.tables.map((t) => [
    t.name,
    String(t.expected),
    num(t.restored),
    (t.ok ?? t.restored === t.expected) ? l.yes : l.no,
  ]);
}

const csvCell = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

export function drillCsv(e: DrillExport, lang: 'zh' | 'en'): string {
  const l = labels[lang];
  const lines: string[][] = [
    [l.title],
    ...figures(e, lang),
    [],
    [l.table, l.expected, l.restored, l.match],
    ...tableRows(e, lang),
  ];
  return '\ufeff' + lines.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function drillHtml(e: DrillExport, lang: 'zh' | 'en'): string {
  const l = labels[lang];
  const rows = tableRows(e, lang)
    .map((r) => `<tr${r[3] === l.no ? ' class="bad"' : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(l.title)} ${esc(e.target)}</title><style>
body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#1f1f1f}
h1{font-size:22px;border-bottom:1px solid #d9d9d9;padding-bottom:8px}table{border-collapse:collapse;width:100%;font-size:13px;margin:12px 0}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left}th{background:#f0f2f5;width:34%}.bad td,.failed{color:#cf1322}.passed{color:#389e0d}
</style></head><body><h1>${esc(l.title)} · ${esc(e.target)}</h1><table><tbody>${figures(e, lang)
    .map(
      ([k, v]) =>
        `<tr><th>${esc(k)}</th><td${k === l.result ? ` class="${e.report.ok ? 'passed' : 'failed'}"` : ''}>${esc(v)}</td></tr>`,
    )
    .join('')}</tbody></table><table><thead><tr><th>${esc(l.table)}</th><th>${esc(l.expected)}</th><th>${esc(
    l.restored,
  )}</th><th>${esc(l.match)}</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

/** The file name a download gets: `kefu-drill-<target>-<date>.<ext>`. */
export const drillFileName = (e: DrillExport, ext: string): string =>
  `kefu-drill-${e.target.replace(/[^\w.-]+/g, '_')}-${e.startedAt.slice(0, 10)}.${ext}`;
