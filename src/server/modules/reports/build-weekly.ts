/** The weekly inspection (周报): the week's daily figures, log analysis, dependency vulnerabilities, bottlenecks. */
import { noSourceSection, t, type Section } from './document.ts';
import { healthSections, maxOf, ms, opsMetrics, type OpsInputs } from './ops-health.ts';
import { dailyFiguresSection } from './sections-days.ts';
import { logSection, perfBlocks } from './sections-ops.ts';

export function weeklySections(i: OpsInputs): Section[] {
  const days = dailyFiguresSection(i);
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
                      ? t('上周已有', 'Known last week')
                      : t('本周新增', 'New this week'),
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
