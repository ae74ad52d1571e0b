/** The weekly inspection (周报): the week's daily figures, log analysis, dependency vulnerabilities, bottlenecks. */
import { isoDateOfDay, localDayOf } from '../../lib/time/zoned-time.ts';
import { noSourceSection, t, type Section } from './document.ts';
import { healthSections, hourlyMax, maxOf, ms, opsMetrics, pct, type OpsInputs } from './ops-health.ts';
import { logSection, perfBlocks } from './sections-ops.ts';

export function weeklySections(i: OpsInputs): Section[] {
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
  const logs = logSection(i.logs, i.period.zone);
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
      ...perfBlocks(i.perf),
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
