/** Sections several reports share: fault statistics from incidents, and the definitions appendix. */
import { distribution } from './cs-figures.ts';
import { drillOf, fmtSeconds, t, type Section, type Text } from './document.ts';
import type { IncidentRow } from './inputs.ts';
import type { Period } from './periods.ts';
import { anomalyRule } from './stats.ts';

/** Incidents declared in the period (drills and cancelled ones left out): count, MTTA, MTTR, root causes. */
export function faultSection(incidents: readonly IncidentRow[], period: Pick<Period, 'start' | 'end'>): Section {
  const counted = incidents.filter(
    (x) => x.mode !== 'drill' && x.state !== 'cancelled' && x.declaredAt >= period.start && x.declaredAt < period.end,
  );
  const title = t('故障统计', 'Faults');
  if (!counted.length) {
    const text = t(
      '本期没有故障（演练与取消的不计）。',
      'No incident in this period (drills and cancelled ones do not count).',
    );
    return { id: 'faults', title, noSource: null, blocks: [{ kind: 'note', text }] };
  }
  const bySeverity = new Map<string, IncidentRow[]>();
  for (const x of counted) bySeverity.set(x.severity, [...(bySeverity.get(x.severity) ?? []), x]);
  const causes = new Map<string, number>();
  for (const x of counted) {
    const k = x.rootCauseCategory ?? '未复盘 / no review';
    causes.set(k, (causes.get(k) ?? 0) + 1);
  }
  return {
    id: 'faults',
    title,
    noSource: null,
    blocks: [
      {
        kind: 'figures',
        items: [
          {
            label: t('故障数', 'Incidents'),
            value: String(counted.length),
            drill: drillOf(
              'incidents',
              counted.map((x) => x.id),
            ),
          },
        ],
      },
      {
        kind: 'table',
        title: t('按级别：MTTA 与 MTTR（中位数 / p90）', 'By severity: MTTA and MTTR (median / p90)'),
        columns: [t('级别', 'Severity'), t('数量', 'Count'), t('MTTA', 'MTTA'), t('MTTR', 'MTTR')],
        rows: [...bySeverity.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([sev, xs]) => {
            const tta = distribution(
              xs.flatMap((x) =>
                (x.acknowledgedAt ?? x.resolvedAt) === null
                  ? []
                  : [((x.acknowledgedAt ?? x.resolvedAt)! - x.declaredAt) / 1000],
              ),
            );
            const ttr = distribution(
              xs.flatMap((x) => (x.resolvedAt === null ? [] : [(x.resolvedAt - x.declaredAt) / 1000])),
            );
            return [
              sev,
              String(xs.length),
              `${fmtSeconds(tta.p50)} / ${fmtSeconds(tta.p90)}`,
              `${fmtSeconds(ttr.p50)} / ${fmtSeconds(ttr.p90)}`,
            ];
          }),
      },
      {
        kind: 'table',
        title: t('根因', 'Root causes'),
        columns: [t('根因类别', 'Category'), t('数量', 'Count')],
        rows: [...causes.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, String(n)]),
      },
      {
        kind: 'table',
        title: t('故障清单', 'Incidents'),
        columns: [
          t('编号', 'No.'),
          t('级别', 'Severity'),
          t('标题', 'Title'),
          t('恢复用时', 'Time to resolve'),
          t('根因', 'Root cause'),
        ],
        rows: counted.map((x) => [
          `#${x.number}`,
          x.severity,
          x.title,
          x.resolvedAt === null ? '未恢复 / open' : fmtSeconds((x.resolvedAt - x.declaredAt) / 1000),
          x.rootCause ?? '-',
        ]),
      },
    ],
  };
}

export const definitionsAppendix: Text[] = [
  t(
    '百分位按最近秩：pN 为升序排列后第 ceil(N/100 × n) 个值（向上取整）。',
    'Percentiles by nearest rank: pN is the value at rank ceil(N/100 × n) of the sorted values.',
  ),
  t(
    '首次响应时间：首条人工客服回复 − 顾客首条消息（秒），统计首条人工回复落在本期的会话；机器人回复不计。',
    'First response time: first agent (human) reply − first shopper message, in seconds, over conversations whose first agent reply falls in the period; bot replies do not count.',
  ),
  t(
    '解决时长：首次解决 − 创建，统计首次解决落在本期的会话。',
    'Resolution time: first resolution − creation, over conversations first resolved in the period.',
  ),
  t(
    '工作时间口径：同一批会话的首次响应时间和解决时长，只计会话所属接待入口的营业时间（SLA 引擎的日历；入口未设营业时间则按全天计）。',
    'Business-hours variants: the same conversations’ first response and resolution times, counting only the working hours of the conversation’s inbox (the SLA engine’s calendar; an inbox without hours counts around the clock).',
  ),
  t(
    '按客服组：会话计入路由把它分配到的客服组；未经客服组路由的会话不计入任何组。',
    'By group: a conversation counts for the group routing placed it in; conversations never routed to a group count for none.',
  ),
  t(
    '解决率：本期创建且在期末处于已解决状态的会话 ÷ 本期创建的会话。',
    'Resolution rate: conversations created in the period and resolved at its end ÷ conversations created in the period.',
  ),
  t(
    '一次解决率：本期首次解决的会话中，从未被重新打开且只有一位客服回复的占比。',
    'First-contact resolution: among conversations first resolved in the period, the share never reopened and answered by exactly one agent.',
  ),
  t(
    '满意度：本期 4–5 分评价 ÷ 本期全部评价，并给出评价数。',
    'CSAT: ratings of 4 or 5 ÷ all ratings given in the period, with the count.',
  ),
  t(
    '热点问题：按顾客首条消息聚类；匹配与聚类前先去掉其中的个人信息和编号（订单号、手机号、身份证号、邮箱、地址及五位以上数字），只差订单号的两条消息算同一个问题；示例为顾客原话（已脱敏）。',
    'Hot questions: shoppers’ first messages clustered; personal data and ids (order, phone and ID numbers, e-mail and postal addresses, runs of five or more digits) are removed before matching and clustering, so two messages that differ only by their order number are the same question; examples are the shoppers’ own words, masked.',
  ),
  t(
    '百分比四舍五入到两位小数；期间为左闭右开 [开始, 结束)，按工作区时区划分。',
    'Percentages are rounded half up to two decimals; periods are half-open [start, end) in the workspace’s time zone.',
  ),
  t(anomalyRule.zh, anomalyRule.en),
  t(
    '全部定义：docs/REPORTS.md；可用 kefu report compute 复算。',
    'All definitions: docs/REPORTS.md; recompute with kefu report compute.',
  ),
];
