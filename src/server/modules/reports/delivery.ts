/**
 * Scheduled production and delivery. Every 15 minutes the scheduler enqueues `reports.tick`; for
 * each workspace and report type it finds the last scheduled instant in the workspace's zone
 * (daily 08:00, Monday 08:00, the 1st 08:00 by default; `report_schedules` edits the time,
 * the recipients and the channels, or turns a type off: schedules.ts) and, when that instant has passed and the previous period's report is not stored,
 * produces it and delivers a summary with a signed link: by e-mail to the schedule's recipients
 * and to the workspace's notification channels (the incidents module's WeCom, DingTalk, Feishu,
 * e-mail, SMS and webhook notifiers). `kefu_reports_overdue{workspace}` counts reports more than two
 * hours past their instant and still missing: the monitoring rule `ReportOverdue` (P3) fires on it
 * and the incidents module opens a P3 incident for that workspace.
 */
import { Gauge } from 'prom-client';
import type { Services } from '../../context.ts';
import type { Job } from '../../lib/jobs/queue.ts';
import type { Schedule } from '../../lib/jobs/scheduler.ts';
import { localDayOf, localToInstant, dateOfDay } from '../../lib/time/zoned-time.ts';
import type { Language } from '../../lib/language.ts';
import { broadcastToChannels } from '../incidents/index.ts';
import { workspaceLanguage } from '../workspaces/index.ts';
import { fmtNumber, fmtPercent, fmtSeconds, type ReportDocument } from './document.ts';
import { ms, pct } from './ops-health.ts';
import { kindOf, periodContaining, type ReportType } from './periods.ts';
import { own, across } from './schema.ts';
import { schedulesOf } from './schedules.ts';
import { findReport, produceReport, type StoredReport } from './service.ts';

export const reportSchedules: Schedule[] = [{ name: 'reports.tick', cron: '*/15 * * * *', jobType: 'reports.tick' }];
const overdueAfterMs = 2 * 3600_000;

/** The latest scheduled instant at or before `now`, and the period it reports on (the one before it). */
export function lastDue(
  type: ReportType,
  zone: string,
  localTime: string,
  now: number,
): { at: number; periodKey: string } {
  const [h, m] = localTime.split(':').map(Number) as [number, number];
  const minute = h * 60 + m;
  let day = localDayOf(zone, now);
  const due = (d: number) => {
    const wd = dateOfDay(d);
    if (type === 'weekly') return wd.weekday === 1;
    if (type === 'monthly-ops' || type === 'monthly-cs') return wd.day === 1;
    return true;
  };
  for (let i = 0; i < 40; i++, day--) {
    if (!due(day)) continue;
    const at = localToInstant(zone, day, minute);
    if (at > now) continue;
    return { at, periodKey: periodContaining(kindOf(type), zone, localToInstant(zone, day, 0) - 1).key };
  }
  throw new Error('no scheduled instant in 40 days');
}

/** The delivery's own words, in the workspace's language (lib/language.ts). */
const deliveryWords = {
  'zh-CN': { noSource: '无数据来源：', open: '查看报告', colon: '：', list: '、' },
  en: { noSource: 'No source: ', open: 'Open the report', colon: ': ', list: ', ' },
} satisfies Record<Language, Record<string, string>>;

type SummaryKey = keyof ReportDocument['summary'];
/**
 * How each summary figure reads (the reports' own formatters), grouped into lines: the operations
 * reports (daily, weekly, monthly ops) and the customer-service analysis have their own keys.
 */
const summaryFigures: {
  key: SummaryKey;
  zh: string;
  en: string;
  fmt: (v: number, s: ReportDocument['summary'], lang: Language) => string;
}[][] = [
  [
    { key: 'availability', zh: '平均可用率', en: 'Availability', fmt: fmtPercent },
    { key: 'p99Worst', zh: 'API p99 最差', en: 'Worst API p99', fmt: ms },
    { key: 'cpuPeak', zh: 'CPU 峰值', en: 'CPU peak', fmt: pct },
  ],
  [
    { key: 'anomalies', zh: '异常小时', en: 'Anomalous hours', fmt: (v) => fmtNumber(v) },
    { key: 'openIncidents', zh: '未恢复事件', en: 'Open incidents', fmt: (v) => fmtNumber(v) },
  ],
  [
    { key: 'created', zh: '新会话', en: 'New conversations', fmt: (v) => fmtNumber(v) },
    { key: 'frtP50', zh: '首次响应中位数', en: 'Median first response', fmt: fmtSeconds },
    { key: 'resolutionP50', zh: '解决时长中位数', en: 'Median resolution time', fmt: fmtSeconds },
  ],
  [
    { key: 'resolutionRate', zh: '解决率', en: 'Resolution rate', fmt: fmtPercent },
    { key: 'fcr', zh: '一次解决率', en: 'First-contact resolution', fmt: fmtPercent },
    {
      key: 'csatPercent',
      zh: 'CSAT',
      en: 'CSAT',
      fmt: (v, s, lang) =>
        s.csatCount === null || s.csatCount === undefined
          ? fmtPercent(v)
          : `${fmtPercent(v)}${lang === 'en' ? ` (n=${s.csatCount})` : `（n=${s.csatCount}）`}`,
    },
  ],
];

/**
 * The summary's figures as a few readable lines in one language ("首次响应中位数 4 min · 解决率
 * 100.00 %"): each line joins the figures the document has; a figure without a value reads "-".
 */
export function summaryLines(summary: ReportDocument['summary'], lang: Language): string[] {
  return summaryFigures
    .map((line) =>
      line
        .filter((f) => f.key in summary)
        .map((f) => {
          const v = summary[f.key];
          const value = v === null || v === undefined ? '-' : f.fmt(v, summary, lang);
          return `${lang === 'en' ? f.en : f.zh} ${value}`;
        })
        .join(' · '),
    )
    .filter(Boolean);
}

/**
 * The summary in one language: `text` (with the link) for the schedule's own e-mail; `channelText`
 * and `markdown` without it, since the notifiers add the link themselves (an "open the report"
 * button or line).
 */
export function summaryText(
  doc: ReportDocument,
  link: string,
  lang: Language,
): { title: string; text: string; channelText: string; markdown: string } {
  const w = deliveryWords[lang];
  const pick = (x: { zh: string; en: string }) => (lang === 'en' && x.en ? x.en : x.zh);
  const lines = summaryLines(doc.summary, lang);
  const noSource = doc.sections.filter((x) => x.noSource).map((x) => pick(x.title));
  const title = pick(doc.title);
  const body = [
    title,
    `${doc.period.start} – ${doc.period.end}`,
    ...lines,
    ...(noSource.length ? [`${w.noSource}${noSource.join(w.list)}`] : []),
  ];
  return {
    title,
    text: `${body.join('\n')}\n\n${w.open}${w.colon}${link}\n`,
    channelText: body.join('\n'),
    markdown: `**${title}**\n\n${lines.map((l) => `- ${l}`).join('\n')}`,
  };
}

/** A link that opens the report without signing in, valid for 30 days (HMAC-signed). */
export function signedLink(s: Pick<Services, 'cipher' | 'config' | 'clock'>, report: StoredReport): string {
  const token = s.cipher.sign({ r: report.id, w: report.workspace_id, exp: s.clock.now().getTime() + 30 * 86400_000 });
  const base = s.config.publicUrl ?? `http://localhost:${s.config.port || 3000}`;
  return `${base}/api/reports/shared?t=${encodeURIComponent(token)}`;
}

export async function deliverReport(
  s: Services,
  report: StoredReport,
  recipients: string[],
  channelIds: readonly string[] | null = null,
): Promise<{ mailed: number; channels: { channel: string; ok: boolean; error?: string }[] }> {
  const link = signedLink(s, report);
  const lang = await workspaceLanguage(s, report.workspace_id);
  const { title, text, channelText, markdown } = summaryText(report.document, link, lang);
  const subject = `[Kefu] ${title}`;
  let mailed = 0;
  if (recipients.length && s.config.smtpUrl) {
    // nodemailer loads with the first mail (not with the server).
    const { default: nodemailer } = await import('nodemailer');
    await nodemailer
      .createTransport(s.config.smtpUrl)
      .sendMail({ from: s.config.mailFrom, to: recipients.join(', '), subject, text });
    mailed = recipients.length;
  }
  const channels = await broadcastToChannels(
    s,
    report.workspace_id,
    {
      lang,
      title: subject,
      markdown,
      text: channelText,
      url: link,
      linkLabel: deliveryWords[lang].open,
    },
    channelIds,
  );
  await own(s.db)
    .updateTable('reports')
    .set({ delivered_at: s.clock.now().toISOString() })
    .where('id', '=', report.id)
    .execute();
  return { mailed, channels };
}

/** One tick: produce and deliver every due report that is not stored yet. */
export async function runTick(s: Services): Promise<string[]> {
  const now = s.clock.now().getTime();
  const workspaces = await across(s.db).selectFrom('workspaces').select(['id', 'timezone']).orderBy('id').execute();
  const produced: string[] = [];
  for (const w of workspaces)
    for (const plan of await schedulesOf(s, w.id)) {
      if (!plan.enabled) continue;
      const due = lastDue(plan.type, w.timezone, plan.localTime, now);
      if (await findReport(s, w.id, plan.type, due.periodKey)) continue;
      try {
        const r = await produceReport(s, w.id, plan.type, due.periodKey, 'schedule');
        await deliverReport(s, r, plan.recipients, plan.channelIds);
        produced.push(`${w.id} ${plan.type} ${due.periodKey}`);
      } catch (err) {
        s.log.error({ err, workspaceId: w.id, type: plan.type, period: due.periodKey }, 'scheduled report failed');
      }
    }
  return produced;
}

/**
 * Scheduled reports more than two hours past their instant and still not stored, per workspace
 * (slug). A workspace made after the instant (a fresh install at 14:00 with the daily report due
 * at 08:00) gives the ticks two hours from its creation, so a new installation does not start with
 * a late-report alert.
 */
export async function overdueByWorkspace(s: Services): Promise<Map<string, number>> {
  const now = s.clock.now().getTime();
  const workspaces = await across(s.db)
    .selectFrom('workspaces')
    .select(['id', 'slug', 'timezone', 'created_at'])
    .orderBy('slug')
    .execute();
  const out = new Map<string, number>();
  for (const w of workspaces)
    for (const plan of await schedulesOf(s, w.id)) {
      if (!plan.enabled) continue;
      const due = lastDue(plan.type, w.timezone, plan.localTime, now);
      const since = Math.max(due.at, Date.parse(w.created_at));
      if (now - since > overdueAfterMs && !(await findReport(s, w.id, plan.type, due.periodKey)))
        out.set(w.slug, (out.get(w.slug) ?? 0) + 1);
    }
  return out;
}

/** How many scheduled reports are overdue in the whole installation. */
export async function overdueReports(s: Services): Promise<number> {
  return [...(await overdueByWorkspace(s)).values()].reduce((a, b) => a + b, 0);
}

export const reportJobs = { 'reports.tick': async (_job: Job, s: Services) => void (await runTick(s)) };

export function reportMetrics(s: Services): void {
  if (s.metrics.getSingleMetric('kefu_reports_overdue')) return;
  // One series per workspace with late reports (none when all are on time): the alert names the
  // workspace (label `workspace`), so its incident is the merchant's, not every workspace's.
  new Gauge({
    name: 'kefu_reports_overdue',
    help: 'Scheduled reports more than two hours past their time and not produced, per workspace',
    labelNames: ['workspace'],
    registers: [s.metrics],
    async collect() {
      const late = await overdueByWorkspace(s);
      this.reset();
      for (const [workspace, n] of late) this.set({ workspace }, n);
    },
  });
}
