/** The daily health figures (日报), shared by the weekly and monthly reports: pure functions of OpsInputs. */
import { formatInZone } from '../../lib/time/index.ts';
import { fmtNumber, fmtPercent, noSourceSection, t, type Figure, type Section } from './document.ts';
import type { BackupRunRow, IncidentRow, ProbeRow, SeriesPoints } from './inputs.ts';
import type { LogInputs, PerfRow } from './inputs-ops.ts';
import type { SlaRisk } from './inputs-risk.ts';
import type { Period, ReportType } from './periods.ts';
import { riskSection } from './risk.ts';
import type { PenaltyInputs } from './sections-penalty.ts';
import { anomalyRule, counterIncrease, median, robustAnomaly } from './stats.ts';

/** Metric name → rollups from 7 days before the period's start to its end (hourly) and in it (minutes). */
export type OpsInputs = {
  workspaceId: string;
  type: ReportType;
  period: Period;
  probes: ProbeRow[];
  /** Minute rollups within the period. */
  minute: Record<string, SeriesPoints[]>;
  /** Hourly rollups from 7 days before the period's start to its end (the anomaly reference). */
  hourly: Record<string, SeriesPoints[]>;
  backups: BackupRunRow[];
  incidents: IncidentRow[];
  /** `npm audit --json` of the installation, or why it could not run (weekly only). */
  audit:
    | { ok: true; counts: Record<string, number>; advisories: { name: string; severity: string; title: string }[] }
    | { ok: false; reason: string }
    | null;
  /** The previous week's advisories (names), for "what changed". */
  previousAdvisories: string[] | null;
  sloPercent: number;
  /** Weekly only: the installation's error/warning signatures and its statement and rule timings (lib/ops-records). */
  logs: LogInputs | null;
  perf: PerfRow[] | null;
  /** Daily only: the open incidents' deadlines and the ticket SLAs at risk at the period's end (inputs-risk.ts). */
  slaRisk?: SlaRisk | null;
  /** Monthly ops only: the incidents module's penalty statement of the month, as of the period's end. */
  penalty: PenaltyInputs | null;
};

export const opsMetrics = {
  probe: 'probe_success',
  p99: 'kefu_http_request_duration_seconds_p99',
  p90: 'kefu_http_request_duration_seconds_p90',
  p95: 'kefu_http_request_duration_seconds_p95',
  requests: 'kefu_http_request_duration_seconds_count',
  cpu: 'kefu_host_cpu_usage_ratio',
  rss: 'kefu_process_resident_memory_bytes',
  diskFree: 'kefu_host_disk_free_bytes',
  diskSize: 'kefu_host_disk_size_bytes',
  loop: 'kefu_nodejs_eventloop_lag_p99_seconds',
  // Distinct people online (an agent's two tabs are one), per workspace and node (realtime/metrics.ts).
  agentsOnline: 'kefu_realtime_agents_online',
  shoppersOnline: 'kefu_realtime_shoppers_online',
  queue: 'kefu_jobs_oldest_due_age_seconds',
} as const;

export const maxOf = (series: readonly SeriesPoints[] | undefined) => {
  const v = (series ?? []).flatMap((s) => s.points.map((p) => p.max));
  return v.length ? Math.max(...v) : null;
};
export const minLastOf = (series: readonly SeriesPoints[] | undefined) => {
  const v = (series ?? []).flatMap((s) => s.points.map((p) => p.last));
  return v.length ? Math.min(...v) : null;
};
export const mb = (b: number | null) => (b === null ? '-' : `${fmtNumber(b / 1024 / 1024, 0)} MB`);
export const gb = (b: number | null) => (b === null ? '-' : `${fmtNumber(b / 1024 ** 3, 1)} GB`);
export const ms = (s: number | null) => (s === null ? '-' : `${fmtNumber(s * 1000, 1)} ms`);
export const pct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(2)} %`);

/** Availability of each probe: the mean of probe_success over the period's minutes. */
export function availability(i: OpsInputs): { probe: string; component: string | null; share: number | null }[] {
  const series = i.minute[opsMetrics.probe] ?? [];
  return i.probes.map((p) => {
    const pts = series.filter((s) => s.labels.probe === p.name).flatMap((s) => s.points);
    return {
      probe: p.name,
      component: p.component,
      share: pts.length ? pts.reduce((a, x) => a + x.mean, 0) / pts.length : null,
    };
  });
}

/** Requests and 5xx responses in the period, from the request counters' increases. */
export function requestCounts(i: OpsInputs): { total: number; errors: number } | null {
  const series = i.minute[opsMetrics.requests] ?? [];
  if (!series.length) return null;
  let total = 0;
  let errors = 0;
  for (const s of series) {
    const inc = counterIncrease(s.points.map((p) => p.last));
    total += inc;
    if (String(s.labels.status_code ?? '').startsWith('5')) errors += inc;
  }
  return { total, errors };
}

/** Hourly maxima of a metric across its series: hour start → max. */
export function hourlyMax(series: readonly SeriesPoints[] | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series ?? []) for (const p of s.points) out.set(p.t, Math.max(out.get(p.t) ?? -Infinity, p.max));
  return out;
}

/** Hours of the period whose value is anomalous against the same hour of the previous 7 days. */
export function anomalies(
  i: OpsInputs,
): { metric: string; hour: number; value: number; median: number | null; score: number | null }[] {
  const out: { metric: string; hour: number; value: number; median: number | null; score: number | null }[] = [];
  for (const metric of [opsMetrics.cpu, opsMetrics.p99, opsMetrics.loop, opsMetrics.rss]) {
    const h = hourlyMax(i.hourly[metric]);
    for (const [hour, value] of h) {
      if (hour < i.period.start || hour >= i.period.end) continue;
      const ref = [1, 2, 3, 4, 5, 6, 7]
        .map((d) => h.get(hour - d * 86_400_000))
        .filter((x): x is number => x !== undefined);
      const a = robustAnomaly(value, ref);
      if (a.anomalous) out.push({ metric, hour, value, median: a.median, score: a.score });
    }
  }
  return out.sort((a, b) => a.hour - b.hour || (a.metric < b.metric ? -1 : 1));
}

export function healthSections(i: OpsInputs): Section[] {
  const zone = i.period.zone;
  const av = availability(i);
  const req = requestCounts(i);
  const p99 = maxOf(i.minute[opsMetrics.p99]);
  const p99s = (i.minute[opsMetrics.p99] ?? []).flatMap((s) => s.points.map((p) => p.max));
  const p95s = (i.minute[opsMetrics.p95] ?? []).flatMap((s) => s.points.map((p) => p.max));
  const noSeries = !Object.values(i.minute).some((x) => x.length);
  const availabilitySection: Section = i.probes.length
    ? {
        id: 'availability',
        title: t('可用性（按组件与探针）', 'Availability per component and probe'),
        noSource: null,
        blocks: [
          {
            kind: 'table',
            columns: [t('探针', 'Probe'), t('组件', 'Component'), t('可用率', 'Availability')],
            rows: av.map((a) => [a.probe, a.component ?? '-', a.share === null ? '无检测 / no checks' : pct(a.share)]),
          },
        ],
      }
    : noSourceSection('availability', t('可用性', 'Availability'), t('没有配置探针。', 'No probe is configured.'));
  const perf: Section = noSeries
    ? noSourceSection(
        'performance',
        t('性能与资源峰值', 'Performance and resource peaks'),
        t('本期没有监控采样（监控未运行）。', 'No monitoring samples in this period (monitoring was not running).'),
      )
    : {
        id: 'performance',
        title: t('性能与资源峰值', 'Performance and resource peaks'),
        noSource: null,
        blocks: [
          {
            kind: 'figures',
            items: [
              {
                label: t('API p99（每分钟 p99 的中位数 / 最差）', 'API p99 (median / worst of the per-minute p99)'),
                value: `${ms(median(p99s))} / ${ms(p99)}`,
              },
              {
                label: t('API p95（每分钟 p95 的中位数 / 最差）', 'API p95 (median / worst of the per-minute p95)'),
                value: `${ms(median(p95s))} / ${ms(maxOf(i.minute[opsMetrics.p95]))}`,
              },
              {
                label: t('请求数 / 5xx 错误率', 'Requests / 5xx error rate'),
                value: req
                  ? `${fmtNumber(req.total)} / ${req.total ? fmtPercent(Math.round((req.errors * 10_000) / req.total) / 100) : '-'}`
                  : '-',
              },
              { label: t('CPU 峰值', 'CPU peak'), value: pct(maxOf(i.minute[opsMetrics.cpu])) },
              {
                label: t('内存峰值（进程 RSS）', 'Memory peak (process RSS)'),
                value: mb(maxOf(i.minute[opsMetrics.rss])),
              },
              { label: t('磁盘最少剩余', 'Least free disk'), value: gb(minLastOf(i.minute[opsMetrics.diskFree])) },
              {
                label: t('事件循环延迟峰值（p99）', 'Event-loop delay peak (p99)'),
                value: ms(maxOf(i.minute[opsMetrics.loop])),
              },
              ...connectionPeaks(i),
            ],
          },
          ...(p95s.length
            ? []
            : [
                {
                  kind: 'note' as const,
                  text: t(
                    '本期没有 p95 采样（采样器记录 p95 之前的数据）：API p95 缺失，见 p99。',
                    'No p95 samples in this period (recorded before the sampler kept p95): see p99.',
                  ),
                },
              ]),
        ],
      };
  const an = anomalies(i);
  const anomalySection: Section = {
    id: 'anomalies',
    title: t('异常标记', 'Anomalies'),
    noSource: null,
    blocks: [
      { kind: 'note', text: t(anomalyRule.zh, anomalyRule.en) },
      an.length
        ? {
            kind: 'table',
            columns: [
              t('时段', 'Hour'),
              t('指标', 'Metric'),
              t('值', 'Value'),
              t('参考中位数', 'Reference median'),
              t('偏离（稳健标准差）', 'Deviation (robust σ)'),
            ],
            rows: an.map((a) => [
              formatInZone(zone, a.hour).slice(0, 16),
              a.metric,
              String(Math.round(a.value * 1000) / 1000),
              String(a.median === null ? '-' : Math.round(a.median * 1000) / 1000),
              a.score === Infinity ? '∞' : String(a.score),
            ]),
          }
        : { kind: 'note', text: t('没有异常时段。', 'No anomalous hour.') },
    ],
  };
  const backups = i.backups;
  const byKind = (kind: string) => backups.filter((b) => b.kind === kind);
  const backupSection: Section = backups.length
    ? {
        id: 'backups',
        title: t('备份与校验', 'Backups and verification'),
        noSource: null,
        blocks: [
          {
            kind: 'table',
            columns: [t('类型', 'Kind'), t('成功', 'Succeeded'), t('失败', 'Failed'), t('最近一次', 'Last')],
            rows: [...new Set(backups.map((b) => b.kind))].map((k) => {
              const xs = byKind(k);
              const last = xs.at(-1)!;
              return [
                k,
                String(xs.filter((x) => x.status === 'ok').length),
                String(xs.filter((x) => x.status === 'failed').length),
                `${formatInZone(zone, last.startedAt).slice(0, 16)} ${last.status}`,
              ];
            }),
          },
        ],
      }
    : noSourceSection(
        'backups',
        t('备份与校验', 'Backups and verification'),
        t('本期没有备份运行记录。', 'No backup run in this period.'),
      );
  return [availabilitySection, perf, anomalySection, backupSection, riskSection(i)];
}

/** The series of online people of one kind (agents, or shoppers: `customer`), every workspace and node. */
export const onlineSeries = (i: OpsInputs, kind: 'agent' | 'customer'): SeriesPoints[] =>
  i.minute[kind === 'agent' ? opsMetrics.agentsOnline : opsMetrics.shoppersOnline] ?? [];

/**
 * Online agents and shoppers at peak, as people (not sockets), as the overview's chart counts
 * them: each node samples its own per workspace (series labelled `node` and `workspace`), so at
 * every minute the kind's series are added up (each minute's maximum: an upper bound), and the
 * peak is the largest such sum.
 */
export function connectionPeaks(i: OpsInputs): Figure[] {
  if (!onlineSeries(i, 'agent').length && !onlineSeries(i, 'customer').length) return [];
  const peak = (kind: 'agent' | 'customer') => {
    const perMinute = new Map<number, number>();
    for (const s of onlineSeries(i, kind))
      for (const p of s.points) perMinute.set(p.t, (perMinute.get(p.t) ?? 0) + p.max);
    return perMinute.size ? Math.max(...perMinute.values()) : null;
  };
  return [
    {
      label: t(
        '在线峰值：客服 / 顾客（各节点同一分钟之和）',
        'Online at peak: agents / shoppers (all nodes, same minute)',
      ),
      value: `${fmtNumber(peak('agent'))} / ${fmtNumber(peak('customer'))}`,
    },
  ];
}
