/**
 * The monthly ops summary's penalty statement (赔付对账单): the incidents module's own monthly
 * statement (`monthlyStatement`, the penalty ledger's figures to the cent) as it stood at the
 * period's end, shown line by line — never recomputed here.
 */
import { formatInZone } from '../../lib/time/index.ts';
import type { MonthlyStatement } from '../incidents/index.ts';
import { t, type Block, type Section, type Text } from './document.ts';

/** The statement without its sign-offs (those come later and are shown on the incidents page). */
export type PenaltyInputs = Omit<MonthlyStatement, 'signoffs'>;

const money = (n: number, currency: string) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

const capScopes: Record<MonthlyStatement['capScope'], Text> = {
  term: t('合同期', 'per term'),
  month: t('每月', 'per month'),
  incident: t('每次故障', 'per incident'),
};
const excludedWhy: Record<string, Text> = {
  drill: t('演练，不计', 'drill, not counted'),
  cancelled: t('已取消，不计', 'cancelled, not counted'),
  open: t('期末未恢复，恢复后计入', 'open at the end, counted once resolved'),
  outside_term: t('合同期外，不计', 'outside the term, not counted'),
};

/** Which clock the incident broke: resolve, respond, both, none, or still running (open). */
function breached(l: MonthlyStatement['lines'][number]): Text {
  if (l.resolveBreached === null) return t('未恢复', 'open');
  const both = l.respondBreached && l.resolveBreached;
  if (both) return t('响应 + 解决', 'respond + resolve');
  if (l.resolveBreached) return t('解决', 'resolve');
  if (l.respondBreached) return t('响应', 'respond');
  return t('未超时', 'none');
}

const both = (x: Text) => `${x.zh} / ${x.en}`;
const capApplied = t('已触及上限', 'cap applied');

export function penaltySection(st: PenaltyInputs | null): Section {
  const title = t('赔付对账单', 'Penalty statement');
  const signNote: Block = {
    kind: 'note',
    text: t(
      '与“故障 → 赔付”页的月度对账单为同一份计算（故障模块的扣款台账，截至本期末）；双方在该页签字确认。',
      'The same computation as the monthly statement on Incidents → Penalties (the incidents module’s penalty ledger, as of the end of the period); both parties sign it off there.',
    ),
  };
  if (!st)
    return {
      id: 'penalty',
      title,
      noSource: t('故障模块没有返回对账单。', 'The incidents module returned no statement.'),
      blocks: [],
    };
  const when = (ms: number | null) =>
    ms === null ? '-' : formatInZone(st.timezone, ms).slice(0, 16).replace('T', ' ');
  const figures: Block = {
    kind: 'figures',
    items: [
      {
        label: t('合同总额 / 每超时 1 小时扣款', 'Contract total / deduction per hour over'),
        value: `${money(st.total, st.currency)} / ${st.ratePercentPerHour} % (${st.rounding})`,
      },
      {
        label: t('扣款上限', 'Cap'),
        value: `${money(st.cap, st.currency)} ${both(capScopes[st.capScope])}`,
      },
      {
        label: t('本月扣款合计', 'Deductions this month'),
        value: `${money(st.deduction, st.currency)}${st.capApplied ? ` (${both(capApplied)})` : ''}`,
        ...(st.deductionCents > 0 ? { flag: 'risk' as const } : {}),
      },
      { label: t('合同期内累计', 'Term to date'), value: money(st.termDeductionToDate, st.currency) },
    ],
  };
  const blocks: Block[] = [figures];
  if (!st.configured)
    blocks.push({
      kind: 'note',
      text: t(
        '尚未录入合同：时钟照常计算超时，但不扣款（合同总额按 0 计）。',
        'No contract entered yet: the clocks count the hours over, but nothing is deducted (a total of 0).',
      ),
    });
  if (st.lines.length)
    blocks.push({
      kind: 'table',
      title: t('逐条故障', 'Incident by incident'),
      columns: [
        t('编号', 'No.'),
        t('标题', 'Title'),
        t('级别', 'Severity'),
        t('超时的时钟', 'Breached clock'),
        t('解决时限', 'Resolve by'),
        t('解决时间', 'Resolved'),
        t('超时小时', 'Hours over'),
        t('扣款', 'Deduction'),
        t('备注', 'Note'),
      ],
      rows: st.lines.map((l) => [
        `#${l.number}`,
        l.title,
        l.severity,
        both(breached(l)),
        when(l.resolveBy),
        when(l.resolvedAt),
        String(Math.round(l.hoursOver * 100) / 100),
        money(l.deductionCents / 100, st.currency),
        [l.promotion ?? '', l.excluded ? both(excludedWhy[l.excluded]!) : '', l.capApplied ? both(capApplied) : '']
          .filter(Boolean)
          .join('; ') || '-',
      ]),
    });
  if (st.deductionCents === 0)
    blocks.push({
      kind: 'note',
      text: st.lines.length
        ? t('本月没有赔付：没有扣款。', 'No penalties this month: nothing was deducted.')
        : t('本月没有赔付：本月没有故障。', 'No penalties this month: no incident in the month.'),
    });
  blocks.push(signNote);
  return { id: 'penalty', title, noSource: null, blocks };
}
