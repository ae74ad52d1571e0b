/**
 * The weekly inspection's daily figures: one row per local day of the week, each the daily health
 * report's figures over that day's minutes (the same functions, on the week's inputs cut to the day).
 */
import { isoDateOfDay } from '../../lib/time/zoned-time.ts';
import { fmtPercent, t, type Section } from './document.ts';
import {
  availability,
  connectionPeaks,
  gb,
  maxOf,
  mb,
  minLastOf,
  ms,
  opsMetrics,
  pct,
  requestCounts,
  type OpsInputs,
} from './ops-health.ts';
import { daysOf, parsePeriod } from './periods.ts';
import { median } from './stats.ts';

/** The inputs of one day of the period: its minutes, backups and incidents declared in it. */
export function dayOf(i: OpsInputs, day: number): OpsInputs {
  const period = parsePeriod('day', isoDateOfDay(day), i.period.zone)!;
  const inDay = (at: number) => at >= period.start && at < period.end;
  const minute: OpsInputs['minute'] = {};
  for (const [name, series] of Object.entries(i.minute))
    minute[name] = series
      .map((s) => ({ ...s, points: s.points.filter((p) => inDay(p.t)) }))
      .filter((s) => s.points.length);
  return {
    ...i,
    type: 'daily',
    period,
    minute,
    backups: i.backups.filter((b) => inDay(b.startedAt)),
    incidents: i.incidents.filter((x) => inDay(x.declaredAt)),
  };
}

const medianWorst = (d: OpsInputs, metric: string) => {
  const v = (d.minute[metric] ?? []).flatMap((s) => s.points.map((p) => p.max));
  return v.length ? `${ms(median(v))} / ${ms(maxOf(d.minute[metric]))}` : '-';
};

/** The row of one day: the figures the daily health report gives for it. */
export function dayRow(d: OpsInputs): string[] {
  const av = availability(d).filter((a) => a.share !== null);
  const req = requestCounts(d);
  const runs = d.backups.filter((b) => b.kind === 'backup' || b.kind === 'verify');
  const online = connectionPeaks(d)[0]?.value ?? '-';
  const incidents = d.incidents.filter((x) => x.mode !== 'drill' && x.state !== 'cancelled');
  return [
    isoDateOfDay(daysOf(d.period)[0]!),
    av.length ? pct(av.reduce((s, a) => s + a.share!, 0) / av.length) : '-',
    medianWorst(d, opsMetrics.p95),
    medianWorst(d, opsMetrics.p99),
    req?.total ? fmtPercent(Math.round((req.errors * 10_000) / req.total) / 100) : '-',
    pct(maxOf(d.minute[opsMetrics.cpu])),
    mb(maxOf(d.minute[opsMetrics.rss])),
    gb(minLastOf(d.minute[opsMetrics.diskFree])),
    ms(maxOf(d.minute[opsMetrics.loop])),
    online,
    runs.length ? `${runs.filter((b) => b.status === 'ok').length} / ${runs.length}` : '-',
    String(incidents.length),
  ];
}

export function dailyFiguresSection(i: OpsInputs): Section {
  return {
    id: 'days',
    title: t('每日指标', 'Daily figures'),
    noSource: null,
    blocks: [
      {
        kind: 'table',
        columns: [
          t('日期', 'Day'),
          t('可用率', 'Availability'),
          t('API p95（中位 / 最差）', 'API p95 (median / worst)'),
          t('API p99（中位 / 最差）', 'API p99 (median / worst)'),
          t('5xx 错误率', '5xx error rate'),
          t('CPU 峰值', 'CPU peak'),
          t('内存峰值', 'Memory peak'),
          t('磁盘最少剩余', 'Least free disk'),
          t('事件循环峰值', 'Event-loop peak'),
          t('在线峰值 客服 / 顾客', 'Online peak agents / shoppers'),
          t('备份成功 / 运行', 'Backups ok / runs'),
          t('故障', 'Incidents'),
        ],
        rows: daysOf(i.period).map((day) => dayRow(dayOf(i, day))),
      },
      {
        kind: 'note',
        text: t(
          '每行为该日的日报数字（同一计算，取该日的分钟数据）；“-”表示该日没有采样。',
          'Each row is that day’s daily-report figures (the same computation over the day’s minutes); “-” means no samples that day.',
        ),
      },
    ],
  };
}
