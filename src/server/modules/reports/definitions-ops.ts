/**
 * The operations reports' definitions (daily health, weekly inspection, monthly ops summary):
 * each report's appendix lists the ones its figures use. docs/REPORTS.md ("Operations reports:
 * definitions") carries the same English text, word for word (definitions-ops.test.ts checks it).
 */
import { t, type Text } from './document.ts';
import type { ReportType } from './periods.ts';
import { anomalyRule } from './stats.ts';

export const opsDefinitions = {
  periods: t(
    '期间为左闭右开 [开始, 结束)，按工作区时区的自然日、ISO 周或自然月划分；时长一律按真实时间（UTC）计。',
    'Periods are half-open [start, end): local days, ISO weeks or months of the workspace’s time zone; durations are always real (UTC) time.',
  ),
  percentile: t(
    '百分位按最近秩：pN 为升序排列后第 ceil(N/100 × n) 个值；MTTA 与 MTTR 的中位数即 p50。每分钟 p95/p99 的中位数取中间值（偶数个时取中间两个的平均）。',
    'Percentiles by nearest rank: pN is the value at rank ceil(N/100 × n) of the sorted values; the median of MTTA and MTTR is their p50. The median of the per-minute p95/p99 is the middle value (the mean of the two middle ones for an even count).',
  ),
  availability: t(
    '可用率：每个探针在本期有检测的分钟里 probe_success（1 正常，0 失败）的平均值；总体可用率为有检测的各探针可用率的平均。',
    'Availability: for each probe, the mean of probe_success (1 up, 0 down) over the period’s minutes with checks; the overall figure is the mean over the probes with checks.',
  ),
  latency: t(
    'API p95/p99：请求耗时采样器每分钟的 p95/p99（全部路由）；报告给出这些分钟值的中位数与最差值。',
    'API p95/p99: the request-duration sampler’s p95/p99 of each minute (all routes); the report gives the median and the worst of those minutes.',
  ),
  errorRate: t(
    '5xx 错误率：5xx 请求计数器的增量 ÷ 全部请求计数器的增量（计数器回落视为重启，从 0 计），四舍五入到两位小数。',
    '5xx error rate: the increase of the 5xx request counters ÷ the increase of all request counters in the period (a counter that drops restarted and counts from 0), rounded half up to two decimals.',
  ),
  peaks: t(
    '资源峰值：CPU、进程内存（RSS）、事件循环延迟 p99 取各节点每分钟最大值中的最大者；磁盘取最少剩余空间；在线峰值：每分钟各节点、各工作区在线坐席与在线顾客人数之和的最大值，按人计（同一坐席的两个标签页算一人），而非按连接计。',
    'Resource peaks: the largest per-minute maximum over the nodes of CPU, process memory (RSS) and event-loop delay p99; for the disk, the least free space; online at peak: the largest per-minute sum over nodes and workspaces of the agents and of the shoppers online, counted as people (an agent’s two tabs are one), not sockets.',
  ),
  anomaly: t(anomalyRule.zh, anomalyRule.en),
  dailyRows: t(
    '每日指标：每一行是该自然日的日报数字（同一计算，取该日的分钟数据）；备份为该日备份与校验运行的成功数 / 运行数，故障为该日宣布的故障（演练与取消的不计）。',
    'Daily figures: each row is that local day’s daily-report figures (the same computation over the day’s minutes); backups are the day’s ok / all backup and verification runs, incidents those declared that day (drills and cancelled ones left out).',
  ),
  logSignature: t(
    '日志签名：错误类型 + 归一化消息（数字、ID、十六进制、UUID、引号内的值、邮箱、时间替换为占位符）+ 前 3 个栈帧；按签名计次数与首次、最近出现时间。',
    'Log signature: error type + normalised message (numbers, ids, hex, UUIDs, quoted values, e-mail addresses and times replaced by placeholders) + the top 3 stack frames; counted per signature with first and last seen.',
  ),
  slowest: t(
    '最慢的语句与规则评估：按语句形态或规则合并，p95 按最近秩从固定直方图（1 至 10000 ms）读出，显示为“≤ 上界”；最慢的路由按最差一分钟的 p90 排序。',
    'Slowest statements and rule evaluations: merged per statement shape or rule, the p95 by nearest rank read from a fixed histogram (1 to 10000 ms) and shown as “≤ bound”; the slowest routes by their worst minute’s p90.',
  ),
  errorBudget: t(
    'SLO 与错误预算：错误预算 = 本期分钟数 × (1 − SLO)；已用 = 本期分钟数 × (1 − 总体可用率)；SLO 默认为 99.9 %。',
    'SLO and error budget: the error budget is the period’s minutes × (1 − SLO); used is the period’s minutes × (1 − the overall availability); the SLO is 99.9 % unless configured.',
  ),
  mtta: t(
    'MTTA：确认时间（未确认则用恢复时间）− 宣布时间，统计本期宣布的故障（演练与取消的不计），按级别给出中位数与 p90。',
    'MTTA: acknowledgement (the resolution when never acknowledged) − declaration, over the incidents declared in the period (drills and cancelled ones left out), median and p90 by severity.',
  ),
  mttr: t(
    'MTTR：恢复时间 − 宣布时间，统计同一批故障中在期末前已恢复的，按级别给出中位数与 p90。',
    'MTTR: resolution − declaration, over the same incidents resolved by the end of the period, median and p90 by severity.',
  ),
  trend: t(
    '趋势：按天的数值（日序号 → 值）做最小二乘直线拟合；磁盘写满 = 从最后一天起拟合的最少剩余空间降到 0 的天数（不下降则无）；峰值并发预测 = 拟合直线在最后一天之后第 30 天的值。',
    'Trends: a least-squares line through the daily values (day index → value); disk full is the days from the last day until the fitted least free space reaches 0 (none when it does not fall); the peak concurrency forecast is the fitted line 30 days after the last day.',
  ),
  penalty: t(
    '赔付：故障超过解决时限后，每小时（按合同的取整方式）扣合同总额的约定比例（默认 0.5 %），不超过上限（默认 5 %，按合同期、每月或每次故障）；演练、取消与未恢复的故障不扣；由故障模块的扣款台账计算（docs/OPERATIONS.md “Incident penalties”）。',
    'Penalties: every hour (by the contract’s rounding) an incident stays unresolved past its resolution deadline deducts the contract’s rate (0.5 % by default) of the contract total, up to the cap (5 % by default, per term, month or incident); drills, cancelled and open incidents deduct nothing; computed by the incidents module’s penalty ledger (docs/OPERATIONS.md “Incident penalties”).',
  ),
  suggestions: t(
    '建议规则：按当前斜率 90 天内磁盘写满 → 在下次大促前扩容；错误预算用掉一半以上 → 冻结高风险变更；当月没有恢复演练 → 安排一次。',
    'Suggestion rules: disk full within 90 days at the current slope → add space before the next promotion; more than half of the error budget used → freeze risky changes; no restore drill in the month → schedule one.',
  ),
} satisfies Record<string, Text>;

export type OpsDefinition = keyof typeof opsDefinitions;

const daily: OpsDefinition[] = ['periods', 'availability', 'latency', 'errorRate', 'peaks', 'percentile', 'anomaly'];
/** Which definitions each operations report's appendix gives, in order. */
export const opsAppendixOf: Record<Exclude<ReportType, 'monthly-cs'>, OpsDefinition[]> = {
  daily,
  weekly: [...daily, 'dailyRows', 'logSignature', 'slowest'],
  'monthly-ops': [
    'periods',
    'availability',
    'errorBudget',
    'percentile',
    'mtta',
    'mttr',
    'trend',
    'penalty',
    'suggestions',
  ],
};

export const opsAppendix = (type: Exclude<ReportType, 'monthly-cs'>): Text[] => [
  ...opsAppendixOf[type].map((k) => opsDefinitions[k]),
  t('全部定义：docs/REPORTS.md。', 'All definitions: docs/REPORTS.md.'),
];
