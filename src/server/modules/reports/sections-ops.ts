/**
 * The weekly inspection's sections from the installation's own records (lib/ops-records): log
 * analysis (error and warning signatures) and the slowest statements and rule evaluations.
 */
import { formatInZone } from '../../lib/time/index.ts';
import { perfBounds } from '../../lib/ops-records/recorder.ts';
import { fmtNumber, noSourceSection, t, type Block, type Section } from './document.ts';
import type { LogInputs, PerfRow } from './inputs-ops.ts';

const levelName = (l: number) => (l >= 60 ? 'fatal' : l >= 50 ? 'error' : 'warn');

/** Error and warning signatures of the week (grouped by type, normalised message and top frames). */
export function logSection(logs: LogInputs | null, zone: string): Section {
  const title = t('日志分析', 'Log analysis');
  if (!logs || !logs.covered)
    return noSourceSection(
      'logs',
      title,
      t(
        '本期没有日志来源：日志库（log_records，保存错误与警告的签名 35 天）在本期没有运行记录；请在日志平台按 msg 与 stack 归并。',
        'No log source for this period: the log store (log_records, error and warning signatures kept 35 days) did not run in it; group the logs by msg and stack in your log platform.',
      ),
    );
  const when = (ms: number) => formatInZone(zone, ms).slice(0, 16).replace('T', ' ');
  return {
    id: 'logs',
    title,
    noSource: null,
    blocks: [
      {
        kind: 'figures',
        items: [
          { label: t('错误与警告记录', 'Error and warning records'), value: String(logs.records) },
          { label: t('签名数（前 30 个）', 'Signatures (top 30)'), value: String(logs.signatures.length) },
        ],
      },
      logs.signatures.length
        ? {
            kind: 'table',
            title: t('按签名归并（次数降序）', 'Grouped by signature (most frequent first)'),
            columns: [
              t('级别', 'Level'),
              t('签名', 'Signature'),
              t('栈顶', 'Top frames'),
              t('次数', 'Count'),
              t('首次', 'First seen'),
              t('最近', 'Last seen'),
            ],
            rows: logs.signatures.map((s) => [
              levelName(s.level),
              s.errType === 'log' ? s.message : `${s.errType}: ${s.message}`,
              s.frames.join(' ← ') || '-',
              String(s.count),
              when(s.first),
              when(s.last),
            ]),
          }
        : { kind: 'note', text: t('本期没有错误与警告日志。', 'No error or warning was logged in this period.') },
      {
        kind: 'note',
        text: t(
          '签名：错误类型 + 归一化消息（数字、ID、十六进制、UUID、引号内的值、邮箱、时间替换为占位符）+ 前 3 个栈帧（去掉行列号）。',
          'Signature: error type + normalised message (numbers, ids, hex, UUIDs, quoted values, e-mail addresses and times replaced by placeholders) + the top 3 stack frames (without line and column).',
        ),
      },
    ],
  };
}

type Merged = { shape: string; count: number; totalMs: number; maxMs: number; buckets: number[] };

/** Per shape over the period: counts, sums, maxima and histograms added up. */
export function mergePerf(rows: readonly PerfRow[], kind: string): Merged[] {
  const m = new Map<string, Merged>();
  for (const r of rows) {
    if (r.kind !== kind) continue;
    const acc = m.get(r.shape) ?? { shape: r.shape, count: 0, totalMs: 0, maxMs: 0, buckets: [] };
    acc.count += r.count;
    acc.totalMs += r.totalMs;
    acc.maxMs = Math.max(acc.maxMs, r.maxMs);
    r.buckets.forEach((n, k) => (acc.buckets[k] = (acc.buckets[k] ?? 0) + n));
    m.set(r.shape, acc);
  }
  return [...m.values()];
}

/** The p95 by nearest rank from a histogram: the upper bound of the bucket holding that rank (null above the last bound). */
export function p95Bound(m: Pick<Merged, 'count' | 'buckets'>): number | null {
  const rank = Math.ceil(0.95 * m.count);
  let seen = 0;
  for (let k = 0; k < m.buckets.length; k++) {
    seen += m.buckets[k] ?? 0;
    if (seen >= rank) return perfBounds[k] ?? null;
  }
  return null;
}

/** Slowest first: by p95 bound (above the last bound first), then by maximum, then by shape. */
export function slowest(rows: readonly PerfRow[], kind: string, n = 10): Merged[] {
  const key = (x: Merged) => p95Bound(x) ?? Infinity;
  return mergePerf(rows, kind)
    .filter((x) => x.count > 0)
    .sort((a, b) => key(b) - key(a) || b.maxMs - a.maxMs || (a.shape < b.shape ? -1 : 1))
    .slice(0, n);
}

const msText = (v: number) => `${fmtNumber(v, 1)} ms`;

/** The bottleneck section's tables of the slowest statements and rule evaluations, or why there are none. */
export function perfBlocks(perf: PerfRow[] | null): Block[] {
  const table = (kind: 'query' | 'rule', title: ReturnType<typeof t>, what: ReturnType<typeof t>): Block => {
    const top = slowest(perf ?? [], kind);
    if (!top.length)
      return {
        kind: 'note',
        text: t(
          `${title.zh}：本期没有采样（Kefu 每 10 分钟把各进程的耗时汇总写入 perf_samples）。`,
          `${title.en}: no samples in this period (each Kefu process writes its timings to perf_samples every 10 minutes).`,
        ),
      };
    return {
      kind: 'table',
      title,
      columns: [
        what,
        t('次数', 'Count'),
        t('平均', 'Mean'),
        t('p95（直方图上界）', 'p95 (histogram bound)'),
        t('最大', 'Max'),
      ],
      rows: top.map((x) => {
        const p95 = p95Bound(x);
        return [
          x.shape,
          String(x.count),
          msText(x.totalMs / x.count),
          p95 === null ? `> ${perfBounds.at(-1)} ms` : `≤ ${p95} ms`,
          msText(x.maxMs),
        ];
      }),
    };
  };
  return [
    table(
      'query',
      t('最慢的数据库语句（按语句形态）', 'Slowest database statements (by shape)'),
      t('语句形态', 'Statement shape'),
    ),
    table(
      'rule',
      t('最慢的告警规则评估', 'Slowest alert-rule evaluations'),
      t('规则（组/告警）', 'Rule (group/alert)'),
    ),
  ];
}
