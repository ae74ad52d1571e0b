/**
 * The monthly ops summary (运维月报), and the entry for the three operations reports (the weekly
 * inspection's sections are in build-weekly.ts): pure functions of OpsInputs (series rollups, probes, backups, incidents).
 */
import { formatInZone } from '../../lib/time/index.ts';
import { isoDateOfDay, localDayOf } from '../../lib/time/zoned-time.ts';
import { fmtNumber, noSourceSection, t, type ReportDocument, type Section, type Text } from './document.ts';
import {
  anomalies,
  availability,
  healthSections,
  maxOf,
  onlineSeries,
  opsMetrics,
  pct,
  type OpsInputs,
} from './ops-health.ts';
import type { ReportType } from './periods.ts';
import { weeklySections } from './build-weekly.ts';
import { opsAppendix } from './definitions-ops.ts';
import { faultSection } from './sections.ts';
import { penaltySection } from './sections-penalty.ts';
import { daysUntil, leastSquares } from './stats.ts';

export type { OpsInputs } from './ops-health.ts';

/**
 * Peak concurrency per local day: at each minute the online agents and shoppers (people) of every
 * node and workspace added up (the minute's maxima: an upper bound), the day's largest such sum; fitted by least
 * squares against the day index and carried 30 days past the period's last day.
 */
export function peakConcurrency(i: OpsInputs): {
  days: { day: number; peak: number }[];
  slope: number | null;
  forecast30: number | null;
} {
  const perMinute = new Map<number, number>();
  for (const s of [...onlineSeries(i, 'agent'), ...onlineSeries(i, 'customer')])
    for (const p of s.points) perMinute.set(p.t, (perMinute.get(p.t) ?? 0) + p.max);
  const byDay = new Map<number, number>();
  for (const [t, n] of perMinute) {
    if (t < i.period.start || t >= i.period.end) continue;
    const d = localDayOf(i.period.zone, t);
    byDay.set(d, Math.max(byDay.get(d) ?? 0, n));
  }
  const days = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, peak]) => ({ day, peak }));
  const fit = leastSquares(days.map((d) => [d.day, d.peak]));
  const last = days.at(-1)?.day;
  return {
    days,
    slope: fit ? fit.slope : null,
    forecast30: fit && last !== undefined ? Math.max(0, fit.intercept + fit.slope * (last + 30)) : null,
  };
}

function monthlySections(i: OpsInputs): Section[] {
  const peaks = peakConcurrency(i);
  const av = availability(i).filter((a) => a.share !== null);
  const overall = av.length ? av.reduce((s, a) => s + a.share!, 0) / av.length : null;
  const minutes = (i.period.end - i.period.start) / 60_000;
  const budget = minutes * (1 - i.sloPercent / 100);
  const used = overall === null ? null : minutes * (1 - overall);
  // Disk: daily minimum of free space, fitted by least squares against the day index.
  const freeByDay = new Map<number, number>();
  for (const [hour, v] of new Map(
    (i.hourly[opsMetrics.diskFree] ?? []).flatMap((s) => s.points.map((p) => [p.t, p.last] as const)),
  )) {
    if (hour < i.period.start || hour >= i.period.end) continue;
    const d = localDayOf(i.period.zone, hour);
    freeByDay.set(d, Math.min(freeByDay.get(d) ?? Infinity, v));
  }
  const days = [...freeByDay.keys()].sort((a, b) => a - b);
  const fit = leastSquares(days.map((d) => [d, -freeByDay.get(d)!]));
  const lastDay = days.at(-1);
  const daysToFull = fit && lastDay !== undefined ? daysUntil(fit, lastDay, 0) : null;
  // Each rule (stated in the section and the appendix) adds its suggestion when its condition holds.
  const suggestions: Text[] = [];
  if (daysToFull !== null && daysToFull < 90)
    suggestions.push(
      t(
        `按当前斜率约 ${Math.round(daysToFull)} 天后磁盘写满：在大促（如双 11）前扩容。`,
        `Disk full in about ${Math.round(daysToFull)} days at the current slope: add space before the next promotion (e.g. Double 11).`,
      ),
    );
  if (used !== null && used > budget * 0.5)
    suggestions.push(
      t(
        `本月已用掉 ${((used / budget) * 100).toFixed(0)} % 的错误预算：冻结高风险变更，优先处理可靠性问题。`,
        `${((used / budget) * 100).toFixed(0)} % of the error budget used: freeze risky changes, put reliability first.`,
      ),
    );
  const drills = i.backups.filter((b) => b.kind === 'drill');
  if (!drills.length)
    suggestions.push(
      t('本月没有恢复演练：安排一次（kefu drill）。', 'No restore drill this month: schedule one (kefu drill).'),
    );
  return [
    {
      id: 'slo',
      title: t('可用性与错误预算', 'Availability against the SLO'),
      noSource: null,
      blocks: [
        {
          kind: 'figures',
          items: [
            { label: t('平均可用率（全部探针）', 'Mean availability (all probes)'), value: pct(overall) },
            { label: t('SLO', 'SLO'), value: `${i.sloPercent} %` },
            {
              label: t('错误预算 / 已用（分钟）', 'Error budget / used (minutes)'),
              value: `${fmtNumber(budget, 1)} / ${used === null ? '-' : fmtNumber(used, 1)}`,
              ...(used !== null && used > budget ? { flag: 'risk' as const } : {}),
            },
          ],
        },
      ],
    },
    {
      id: 'trends',
      title: t('趋势与预测', 'Trends and forecasts'),
      noSource: null,
      blocks: [
        {
          kind: 'figures',
          items: [
            {
              label: t('磁盘写满预测（最小二乘斜率）', 'Disk full forecast (least-squares slope)'),
              value: daysToFull === null ? '未见增长 / not filling' : `${Math.round(daysToFull)} 天 / days`,
            },
            {
              label: t(
                '峰值并发（客服 + 顾客）：斜率 / 30 天后预测',
                'Peak concurrency (agents + shoppers): slope / forecast in 30 days',
              ),
              value:
                peaks.slope === null
                  ? '-'
                  : `${peaks.slope >= 0 ? '+' : ''}${fmtNumber(peaks.slope, 1)} /天 / day · ${fmtNumber(peaks.forecast30)}`,
            },
          ],
        },
        ...(peaks.days.length
          ? [
              {
                kind: 'chart' as const,
                title: t('每日峰值并发（客服 + 顾客）', 'Daily peak concurrency (agents + shoppers)'),
                option: {
                  xAxis: { type: 'category', data: peaks.days.map((d) => isoDateOfDay(d.day).slice(5)) },
                  yAxis: { type: 'value' },
                  series: [{ type: 'line', data: peaks.days.map((d) => d.peak) }],
                },
              },
            ]
          : []),
        ...(days.length
          ? [
              {
                kind: 'chart' as const,
                title: t('每日最少剩余磁盘（GB）', 'Least free disk per day (GB)'),
                option: {
                  xAxis: { type: 'category', data: days.map((d) => isoDateOfDay(d).slice(5)) },
                  yAxis: { type: 'value' },
                  series: [
                    { type: 'line', data: days.map((d) => Math.round((freeByDay.get(d)! / 1024 ** 3) * 10) / 10) },
                  ],
                },
              },
            ]
          : []),
      ],
    },
    faultSection(i.incidents, i.period),
    drills.length
      ? {
          id: 'drills',
          title: t('恢复演练', 'Restore drills'),
          noSource: null,
          blocks: [
            {
              kind: 'table',
              columns: [t('时间', 'When'), t('结果', 'Result'), t('用时', 'Duration')],
              rows: drills.map((d) => [
                formatInZone(i.period.zone, d.startedAt).slice(0, 16),
                d.status,
                d.durationMs === null ? '-' : `${Math.round(d.durationMs / 1000)} s`,
              ]),
            },
          ],
        }
      : noSourceSection(
          'drills',
          t('恢复演练', 'Restore drills'),
          t('本月没有恢复演练。', 'No restore drill this month.'),
        ),
    penaltySection(i.penalty),
    {
      id: 'suggestions',
      title: t('建议（按规则生成）', 'Suggestions (by stated rules)'),
      noSource: null,
      blocks: [
        {
          kind: 'note',
          text: suggestions.length
            ? t(suggestions.map((x) => x.zh).join('\n'), suggestions.map((x) => x.en).join('\n'))
            : t('本月没有触发任何建议规则。', 'No suggestion rule fired this month.'),
        },
        {
          kind: 'note',
          text: t(
            '规则：磁盘 90 天内写满；错误预算用掉一半以上；当月没有恢复演练。',
            'Rules: disk full within 90 days; more than half of the error budget used; no restore drill in the month.',
          ),
        },
      ],
    },
  ];
}

const titles: Record<Exclude<ReportType, 'monthly-cs'>, [string, string]> = {
  daily: ['健康日报', 'Daily health report'],
  weekly: ['巡检周报', 'Weekly inspection'],
  'monthly-ops': ['运维月报', 'Monthly operations summary'],
};

export function buildOps(i: OpsInputs): ReportDocument {
  const type = i.type as Exclude<ReportType, 'monthly-cs'>;
  const zone = i.period.zone;
  const sections = type === 'daily' ? healthSections(i) : type === 'weekly' ? weeklySections(i) : monthlySections(i);
  const av = availability(i).filter((a) => a.share !== null);
  return {
    type,
    workspaceId: i.workspaceId,
    title: t(`${titles[type][0]} · ${i.period.key}`, `${titles[type][1]} · ${i.period.key}`),
    period: {
      key: i.period.key,
      zone,
      start: formatInZone(zone, i.period.start),
      end: formatInZone(zone, i.period.end),
    },
    asOf: formatInZone(zone, i.period.end),
    summary: {
      availability: av.length ? Math.round((av.reduce((s, a) => s + a.share!, 0) / av.length) * 1e6) / 1e4 : null,
      cpuPeak: maxOf(i.minute[opsMetrics.cpu]),
      p99Worst: maxOf(i.minute[opsMetrics.p99]),
      anomalies: anomalies(i).length,
      openIncidents: i.incidents.filter((x) => x.mode !== 'drill' && x.state !== 'cancelled' && x.resolvedAt === null)
        .length,
    },
    sections,
    appendix: opsAppendix(type),
  };
}
