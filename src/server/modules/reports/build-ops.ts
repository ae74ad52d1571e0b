/**
 * The weekly inspection (周报) and monthly ops summary (运维月报), and the entry for the three
 * operations reports: pure functions of OpsInputs (series rollups, probes, backups, incidents).
 */
import { formatInZone } from '../../lib/time/index.ts';
import { isoDateOfDay, localDayOf } from '../../lib/time/zoned-time.ts';
import { fmtNumber, noSourceSection, t, type ReportDocument, type Section } from './document.ts';
import {
  anomalies,
  availability,
  healthSections,
  hourlyMax,
  maxOf,
  ms,
  opsMetrics,
  pct,
  type OpsInputs,
} from './ops-health.ts';
import type { ReportType } from './periods.ts';
import { definitionsAppendix, faultSection } from './sections.ts';
import { daysUntil, leastSquares } from './stats.ts';

export type { OpsInputs } from './ops-health.ts';

function weeklySections(i: OpsInputs): Section[] {
  const days: Section = {
    id: 'days',
    title: t('每日指标', 'Daily figures'),
    noSource: null,
    blocks: [
      {
        kind: 'table',
        columns: [
          t('日期', 'Day'),
          t('CPU 峰值', 'CPU peak'),
          t('API p99', 'API p99'),
          t('事件循环峰值', 'Event-loop peak'),
        ],
        rows: dayBuckets(i).map((d) => [isoDateOfDay(d.day), pct(d.cpu), ms(d.p99), ms(d.loop)]),
      },
    ],
  };
  const logs = noSourceSection(
    'logs',
    t('日志分析', 'Log analysis'),
    t(
      'Kefu 的日志写到标准输出（pino JSON），不入库：本报告无日志来源，请在日志平台按 msg 与 stack 归并。',
      'Kefu writes its logs to standard output (pino JSON) and stores none: this report has no log source; group them by msg and stack in your log platform.',
    ),
  );
  const vuln: Section =
    i.audit === null
      ? noSourceSection('vulnerabilities', t('依赖漏洞扫描', 'Dependency vulnerabilities'), t('未运行。', 'Not run.'))
      : !i.audit.ok
        ? noSourceSection(
            'vulnerabilities',
            t('依赖漏洞扫描', 'Dependency vulnerabilities'),
            t(`npm audit 未能运行：${i.audit.reason}`, `npm audit could not run: ${i.audit.reason}`),
          )
        : {
            id: 'vulnerabilities',
            title: t('依赖漏洞扫描（npm audit）', 'Dependency vulnerabilities (npm audit)'),
            noSource: null,
            blocks: [
              {
                kind: 'figures',
                items: Object.entries(i.audit.counts).map(([k, n]) => ({ label: t(k, k), value: String(n) })),
              },
              {
                kind: 'table',
                columns: [t('包', 'Package'), t('级别', 'Severity'), t('说明', 'Title'), t('变化', 'Change')],
                rows: i.audit.advisories.map((a) => [
                  a.name,
                  a.severity,
                  a.title,
                  i.previousAdvisories === null
                    ? '-'
                    : i.previousAdvisories.includes(a.name)
                      ? '上周已有 / known'
                      : '新增 / new',
                ]),
              },
              ...(i.previousAdvisories
                ? [
                    {
                      kind: 'note' as const,
                      text: t(
                        `上周有而本周已消失：${i.previousAdvisories.filter((n) => !(i.audit as { advisories: { name: string }[] }).advisories.some((a) => a.name === n)).join('、') || '无'}`,
                        `Gone since last week: ${i.previousAdvisories.filter((n) => !(i.audit as { advisories: { name: string }[] }).advisories.some((a) => a.name === n)).join(', ') || 'none'}`,
                      ),
                    },
                  ]
                : []),
            ],
          };
  const slowRoutes = (i.minute[opsMetrics.p90] ?? [])
    .map((s) => ({
      route: `${s.labels.method ?? ''} ${s.labels.route ?? ''}`.trim(),
      worst: Math.max(...s.points.map((p) => p.max)),
    }))
    .sort((a, b) => b.worst - a.worst)
    .slice(0, 10);
  const bottlenecks: Section = {
    id: 'bottlenecks',
    title: t('瓶颈', 'Bottlenecks'),
    noSource: null,
    blocks: [
      slowRoutes.length
        ? {
            kind: 'table',
            title: t('最慢的路由（最差分钟 p90）', 'Slowest routes (worst-minute p90)'),
            columns: [t('路由', 'Route'), t('p90', 'p90')],
            rows: slowRoutes.map((r) => [r.route, ms(r.worst)]),
          }
        : { kind: 'note', text: t('没有请求延迟采样。', 'No request latency samples.') },
      {
        kind: 'figures',
        items: [
          { label: t('任务队列最长等待', 'Longest job queue lag'), value: ms(maxOf(i.minute[opsMetrics.queue])) },
        ],
      },
      {
        kind: 'note',
        text: t(
          '慢查询与规则评估耗时：本安装不采样，无来源。',
          'Slow queries and rule evaluation times: not sampled in this installation, no source.',
        ),
      },
    ],
  };
  return [...healthSections(i), days, logs, vuln, bottlenecks];
}

/** Per local day of the period: peaks of CPU, p99 and event-loop delay (hourly rollups). */
function dayBuckets(i: OpsInputs): { day: number; cpu: number | null; p99: number | null; loop: number | null }[] {
  const zone = i.period.zone;
  const per = (metric: string) => {
    const m = new Map<number, number>();
    for (const [hour, v] of hourlyMax(i.hourly[metric])) {
      if (hour < i.period.start || hour >= i.period.end) continue;
      const d = localDayOf(zone, hour);
      m.set(d, Math.max(m.get(d) ?? -Infinity, v));
    }
    return m;
  };
  const cpu = per(opsMetrics.cpu);
  const p99 = per(opsMetrics.p99);
  const loop = per(opsMetrics.loop);
  const first = localDayOf(zone, i.period.start);
  const last = localDayOf(zone, i.period.end - 1);
  return Array.from({ length: last - first + 1 }, (_, k) => first + k).map((day) => ({
    day,
    cpu: cpu.get(day) ?? null,
    p99: p99.get(day) ?? null,
    loop: loop.get(day) ?? null,
  }));
}

/**
 * Peak concurrency per local day: at each minute the online agents and shoppers of every node and
 * kind added up (the minute's maxima: an upper bound), the day's largest such sum; fitted by least
 * squares against the day index and carried 30 days past the period's last day.
 */
export function peakConcurrency(i: OpsInputs): {
  days: { day: number; peak: number }[];
  slope: number | null;
  forecast30: number | null;
} {
  const perMinute = new Map<number, number>();
  for (const s of i.minute[opsMetrics.connections] ?? [])
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
  const suggestions: string[] = [];
  if (daysToFull !== null && daysToFull < 90)
    suggestions.push(
      `按当前斜率约 ${Math.round(daysToFull)} 天后磁盘写满：在大促（如双 11）前扩容。 / Disk full in about ${Math.round(daysToFull)} days at the current slope: add space before the next promotion (e.g. Double 11).`,
    );
  if (used !== null && used > budget * 0.5)
    suggestions.push(
      `本月已用掉 ${((used / budget) * 100).toFixed(0)} % 的错误预算：冻结高风险变更，优先处理可靠性问题。 / ${((used / budget) * 100).toFixed(0)} % of the error budget used: freeze risky changes, put reliability first.`,
    );
  const drills = i.backups.filter((b) => b.kind === 'drill');
  if (!drills.length)
    suggestions.push(
      '本月没有恢复演练：安排一次（kefu drill）。 / No restore drill this month: schedule one (kefu drill).',
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
    {
      id: 'penalty',
      title: t('赔付对账单', 'Penalty statement'),
      noSource: null,
      blocks: [
        {
          kind: 'note',
          text: t(
            '本月赔付对账单见“故障 → 赔付”页（由故障模块按合同计算并双方签字）。',
            'This month’s penalty statement is on Incidents → Penalties (computed by the incidents module from the contract and signed by both parties).',
          ),
        },
      ],
    },
    {
      id: 'suggestions',
      title: t('建议（按规则生成）', 'Suggestions (by stated rules)'),
      noSource: null,
      blocks: [
        {
          kind: 'note',
          text: t(
            suggestions.length ? suggestions.join('\n') : '本月没有触发任何建议规则。',
            suggestions.length ? suggestions.join('\n') : 'No suggestion rule fired this month.',
          ),
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
    appendix: definitionsAppendix,
  };
}
