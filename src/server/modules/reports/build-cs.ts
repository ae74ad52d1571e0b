/** The monthly customer-service analysis (客服分析月报): a pure function of its inputs. */
import { formatInZone } from '../../lib/time/index.ts';
import { localDayOf, toLocal } from '../../lib/time/zoned-time.ts';
import type { Calendar } from '../../lib/time/index.ts';
import {
  businessHoursTimes,
  computeCsBreakdown,
  computeCsFigures,
  computeCsMembers,
  csFiguresOf,
  type CsFigures,
  type CsRating,
} from './cs-figures.ts';
import {
  drillOf,
  fmtNumber,
  fmtPercent,
  fmtSeconds,
  noSourceSection,
  t,
  type ReportDocument,
  type Section,
} from './document.ts';
import { hotQuestions, type Asked, type Clusterer } from './hot-questions.ts';
import type { CsConversationRow, CsData, IncidentRow } from './inputs.ts';
import type { Period } from './periods.ts';
import { faultSection, definitionsAppendix } from './sections.ts';

export type CsReportInputs = {
  workspaceId: string;
  period: Period;
  previous: Period;
  data: CsData;
  /** null: no CSAT source in this installation. */
  ratings: CsRating[] | null;
  incidents: IncidentRow[];
  sla: { target: string; outcome: string; n: number }[];
  cluster: Clusterer;
  /** Conversation id → the group routing put it in (absent: never routed to a group). */
  groups: Map<string, string>;
  /** Inbox id → its business-hours calendar (null: open around the clock). */
  calendars: Map<string, Calendar | null>;
};

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const aroundTheClock = (zone: string): Calendar => ({
  timezone: zone,
  hours: Object.fromEntries(days.map((d) => [d, [['00:00', '24:00']]])),
  holidays: [],
  overrides: [],
});

const figureRows = (groups: { key: string; label: string; figures: CsFigures }[]) =>
  groups.map((g) => [
    g.label,
    String(g.figures.frt.count),
    fmtSeconds(g.figures.frt.p50),
    fmtSeconds(g.figures.frt.p90),
    fmtSeconds(g.figures.resolution.p50),
    fmtPercent(g.figures.resolutionRate),
    fmtPercent(g.figures.fcr),
    g.figures.csat.count ? `${fmtPercent(g.figures.csat.percent)} (${g.figures.csat.count})` : '-',
  ]);
const figureColumns = [
  t('分组', 'Group'),
  t('首响数', 'Replied'),
  t('首响 p50', 'FRT p50'),
  t('首响 p90', 'FRT p90'),
  t('解决 p50', 'Resolution p50'),
  t('解决率', 'Resolution rate'),
  t('一次解决率', 'FCR'),
  t('满意度', 'CSAT'),
];

export function buildMonthlyCs(i: CsReportInputs): ReportDocument {
  const { period, data } = i;
  const zone = period.zone;
  const input = {
    period: { start: period.start, end: period.end },
    conversations: data.conversations,
    ratings: i.ratings ?? [],
  };
  const members = computeCsMembers(input);
  const f = csFiguresOf(input, members);
  const prevInput = {
    period: { start: i.previous.start, end: i.previous.end },
    conversations: data.conversations,
    ratings: i.ratings ?? [],
  };
  const pf = computeCsFigures(prevInput);
  // The same conversations as the two times above, counted in their inbox's working hours.
  const always = aroundTheClock(zone);
  const bh = businessHoursTimes(input, (c) => i.calendars.get((c as CsConversationRow).inboxId) ?? always);
  const byId = new Map(data.conversations.map((c) => [c.id, c]));

  const overview: Section = {
    id: 'overview',
    title: t('核心指标', 'Key figures'),
    noSource: null,
    blocks: [
      {
        kind: 'figures',
        items: [
          {
            label: t('新建会话', 'Conversations created'),
            value: fmtNumber(members.created.length),
            drill: drillOf('conversations', members.created),
          },
          {
            label: t('首次响应 p50 / p90', 'First response p50 / p90'),
            value: `${fmtSeconds(f.frt.p50)} / ${fmtSeconds(f.frt.p90)}（n=${f.frt.count}）`,
            drill: drillOf('conversations', members.frt),
          },
          {
            label: t('解决时长 p50 / p90', 'Resolution time p50 / p90'),
            value: `${fmtSeconds(f.resolution.p50)} / ${fmtSeconds(f.resolution.p90)}（n=${f.resolution.count}）`,
            drill: drillOf('conversations', members.resolved),
          },
          {
            label: t('首次响应（工作时间）p50 / p90', 'First response in business hours p50 / p90'),
            value: `${fmtSeconds(bh.frt.p50)} / ${fmtSeconds(bh.frt.p90)}（n=${bh.frt.count}）`,
            drill: drillOf('conversations', members.frt),
          },
          {
            label: t('解决时长（工作时间）p50 / p90', 'Resolution time in business hours p50 / p90'),
            value: `${fmtSeconds(bh.resolution.p50)} / ${fmtSeconds(bh.resolution.p90)}（n=${bh.resolution.count}）`,
            drill: drillOf('conversations', members.resolved),
          },
          {
            label: t('解决率', 'Resolution rate'),
            value: fmtPercent(f.resolutionRate),
            drill: drillOf('conversations', members.createdResolved),
          },
          {
            label: t('一次解决率', 'First-contact resolution'),
            value: fmtPercent(f.fcr),
            drill: drillOf('conversations', members.fcr),
          },
          ...(i.ratings
            ? [{ label: t('满意度 CSAT', 'CSAT'), value: `${fmtPercent(f.csat.percent)}（${f.csat.count}）` }]
            : []),
        ],
      },
      {
        kind: 'table',
        title: t('与上月对比', 'Against the previous month'),
        // One row per month, one column per figure: every label is bilingual, every cell language-neutral.
        columns: [
          t('月份', 'Month'),
          t('首次响应 p50', 'First response p50'),
          t('首次响应 p90', 'First response p90'),
          t('解决率', 'Resolution rate'),
          t('一次解决率', 'First-contact resolution'),
        ],
        rows: [
          [i.period.key, fmtSeconds(f.frt.p50), fmtSeconds(f.frt.p90), fmtPercent(f.resolutionRate), fmtPercent(f.fcr)],
          [
            i.previous.key,
            fmtSeconds(pf.frt.p50),
            fmtSeconds(pf.frt.p90),
            fmtPercent(pf.resolutionRate),
            fmtPercent(pf.fcr),
          ],
        ],
      },
    ],
  };

  const groupBy = (keyOf: (id: string) => string | null, label: (k: string) => string) =>
    computeCsBreakdown(input, (c) => keyOf(c.id)).map((g) => ({ key: g.key, label: label(g.key), figures: g.figures }));
  const agentOf = (id: string) => {
    const c = byId.get(id)!;
    const fr = c.messages.find((m) => m.from === 'agent');
    return c.assigneeId ?? fr?.agentId ?? null;
  };
  const breakdown: Section = {
    id: 'breakdown',
    title: t('按渠道、接待入口、客服、客服组', 'By channel, inbox, agent and group'),
    noSource: null,
    blocks: [
      {
        kind: 'table',
        title: t('按渠道', 'By channel'),
        columns: figureColumns,
        rows: figureRows(
          groupBy(
            (id) => byId.get(id)!.channel,
            (k) => k,
          ),
        ),
      },
      {
        kind: 'table',
        title: t('按接待入口', 'By inbox'),
        columns: figureColumns,
        rows: figureRows(
          groupBy(
            (id) => byId.get(id)!.inboxName,
            (k) => k,
          ),
        ),
      },
      {
        kind: 'table',
        title: t('按客服', 'By agent'),
        columns: figureColumns,
        rows: figureRows(groupBy(agentOf, (k) => data.agents.get(k) ?? k)),
      },
      {
        kind: 'table',
        title: t('按客服组', 'By group'),
        columns: figureColumns,
        rows: figureRows(
          groupBy(
            (id) => i.groups.get(id) ?? null,
            (k) => k,
          ),
        ),
      },
    ],
  };

  // Volume by hour of day and weekday, in the workspace's zone.
  const hours = Array.from({ length: 24 }, () => 0);
  const weekdays = Array.from({ length: 7 }, () => 0);
  const daily = new Map<number, number>();
  for (const id of members.created) {
    const at = byId.get(id)!.createdAt;
    const l = toLocal(zone, at);
    hours[l.hour]!++;
    const dn = localDayOf(zone, at);
    weekdays[(new Date(dn * 86_400_000).getUTCDay() + 6) % 7]!++;
    daily.set(dn, (daily.get(dn) ?? 0) + 1);
  }
  const wdNames = [
    t('周一', 'Mon'),
    t('周二', 'Tue'),
    t('周三', 'Wed'),
    t('周四', 'Thu'),
    t('周五', 'Fri'),
    t('周六', 'Sat'),
    t('周日', 'Sun'),
  ];
  const volume: Section = {
    id: 'volume',
    title: t('会话量分布', 'Volume'),
    noSource: null,
    blocks: [
      {
        kind: 'chart',
        title: t('按小时（新建会话）', 'By hour (conversations created)'),
        option: {
          xAxis: { type: 'category', data: hours.map((_, h) => `${h}`) },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: hours, itemStyle: { color: '#1677ff' } }],
        },
      },
      {
        kind: 'chart',
        title: t('按星期', 'By weekday'),
        labels: wdNames,
        option: {
          xAxis: { type: 'category', data: wdNames.map((d) => d.zh) },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: weekdays, itemStyle: { color: '#13a8a8' } }],
        },
      },
      {
        kind: 'table',
        columns: [t('小时', 'Hour'), t('会话', 'Conversations')],
        rows: hours.map((n, h) => [String(h).padStart(2, '0'), String(n)]),
      },
    ],
  };

  const slaRows = new Map<string, { met: number; breached: number; open: number }>();
  for (const r of i.sla) {
    const x = slaRows.get(r.target) ?? { met: 0, breached: 0, open: 0 };
    if (r.outcome === 'met' || r.outcome === 'breached' || r.outcome === 'open') x[r.outcome] += r.n;
    slaRows.set(r.target, x);
  }
  const sla: Section = i.sla.length
    ? {
        id: 'sla',
        title: t('SLA 达成', 'SLA achievement'),
        noSource: null,
        blocks: [
          {
            kind: 'table',
            columns: [
              t('目标', 'Target'),
              t('达成', 'Met'),
              t('违约', 'Breached'),
              t('进行中', 'Open'),
              t('达成率', 'Achievement'),
            ],
            rows: [...slaRows.entries()].map(([target, x]) => [
              target,
              String(x.met),
              String(x.breached),
              String(x.open),
              x.met + x.breached ? `${((x.met * 100) / (x.met + x.breached)).toFixed(2)} %` : '-',
            ]),
          },
          {
            kind: 'note',
            text: t(
              '达成率 = 达成 ÷（达成 + 违约），按工单创建日计入（SLA 模块的日汇总）。',
              'Achievement = met ÷ (met + breached), by the ticket’s creation day (the SLA module’s daily rollup).',
            ),
          },
        ],
      }
    : noSourceSection(
        'sla',
        t('SLA 达成', 'SLA achievement'),
        t('本期没有带 SLA 的工单。', 'No ticket with an SLA in this period.'),
      );

  const asked = (p: Period): Asked[] =>
    data.conversations
      .filter((c) => c.createdAt >= p.start && c.createdAt < p.end && c.firstCustomerText)
      .map((c) => ({ conversationId: c.id, at: c.createdAt, text: c.firstCustomerText! }));
  const hot = hotQuestions(asked(period), asked(i.previous), i.cluster);
  const hotSection: Section = hot.length
    ? {
        id: 'hot-questions',
        title: t('热点问题 Top 10', 'Top 10 hot questions'),
        noSource: null,
        blocks: [
          {
            kind: 'table',
            columns: [
              t('问题', 'Question'),
              t('次数', 'Count'),
              t('占比', 'Share'),
              t('上月占比', 'Previous'),
              t('示例（已脱敏）', 'Examples (masked)'),
            ],
            rows: hot.map((h) => [
              h.label,
              String(h.count),
              `${h.share.toFixed(2)} %`,
              h.previousShare === null ? '-' : `${h.previousShare.toFixed(2)} %`,
              h.examples.join(' ｜ '),
            ]),
          },
        ],
      }
    : noSourceSection(
        'hot-questions',
        t('热点问题 Top 10', 'Top 10 hot questions'),
        t('本期没有顾客首条消息。', 'No shopper first message in this period.'),
      );

  const csat: Section = i.ratings
    ? {
        id: 'csat',
        title: t('满意度', 'CSAT'),
        noSource: null,
        blocks: [
          {
            kind: 'figures',
            items: [
              { label: t('好评率（4–5 分）', 'Rated 4–5'), value: `${fmtPercent(f.csat.percent)}（${f.csat.count}）` },
            ],
          },
        ],
      }
    : noSourceSection(
        'csat',
        t('满意度', 'CSAT'),
        t(
          '本安装还没有满意度评价模块（csat），此节无数据来源。',
          'This installation has no CSAT module yet: this section has no source.',
        ),
      );

  return {
    type: 'monthly-cs',
    workspaceId: i.workspaceId,
    title: t(`客服分析月报 · ${period.key}`, `Customer-service analysis · ${period.key}`),
    period: { key: period.key, zone, start: formatInZone(zone, period.start), end: formatInZone(zone, period.end) },
    asOf: formatInZone(zone, period.end),
    summary: {
      created: members.created.length,
      frtP50: f.frt.p50,
      frtP90: f.frt.p90,
      resolutionP50: f.resolution.p50,
      resolutionP90: f.resolution.p90,
      resolutionRate: f.resolutionRate,
      fcr: f.fcr,
      csatPercent: i.ratings ? f.csat.percent : null,
      csatCount: i.ratings ? f.csat.count : null,
    },
    sections: [overview, breakdown, volume, sla, hotSection, csat, faultSection(i.incidents, period)],
    appendix: definitionsAppendix,
  };
}
