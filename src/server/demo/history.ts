/**
 * The demo's previous month: one conversation a day across the last calendar month (in the demo's
 * zone), so the monthly customer-service report produced at start has real figures — first
 * responses, resolutions, ratings and hot questions — rather than an empty month. Eight shoppers
 * of their own take turns (each writes every eight days, so nobody's resolved conversation is
 * reopened), with questions the demo knowledge base knows, each put in its team (客服组) as
 * routing would — pre-sales questions (shipping time, invoices, coupons) to 售前组 and answered by
 * its agent 林小雨, after-sales ones (delivery, returns, refunds, damage) to 售后组 and answered by
 * its agents in turn — so the monthly report's "by group" table has rows; replies and resolutions
 * after varied, stated delays. Pure: `demoHistoryPlan(now, zone)` says what `seed.ts` writes through the chat path.
 */
import { previousPeriod } from '../modules/reports/index.ts';

const minute = 60_000;
const day = 86_400_000;

export const historyCustomers = ['钱多多', '郑小北', '冯女士', '褚先生', '卫晓', '蒋一帆', '沈青', '韩梅'] as const;

/** The demo's teams (seed.ts creates them): pre-sales and after-sales. */
export type HistoryGroup = '售前组' | '售后组';

/** Typical questions (some asked more often: they lead the hot questions), each with its team and the agent's answer. */
const questions: { ask: string; answer: string; weight: number; group: HistoryGroup }[] = [
  {
    ask: '请问今天下单什么时候能发货？',
    answer: '您好，16:00 前的订单当天发出，之后的次日发出。',
    weight: 6,
    group: '售前组',
  },
  {
    ask: '我的快递好几天没更新了，帮我查下物流',
    answer: '已为您联系快递，物流明天会更新，给您添麻烦了。',
    weight: 5,
    group: '售后组',
  },
  {
    ask: '衣服尺码不合适，怎么申请退换货？',
    answer: '在订单页点“申请售后”选择换货即可，运费我们承担。',
    weight: 4,
    group: '售后组',
  },
  { ask: '退款什么时候到账？', answer: '退款已原路退回，一般 1–3 个工作日到账。', weight: 3, group: '售后组' },
  {
    ask: '可以开增值税专用发票吗？',
    answer: '可以的，请提供公司名称和税号，我们 3 个工作日内开具。',
    weight: 2,
    group: '售前组',
  },
  { ask: '有优惠券可以用吗？', answer: '店铺首页可以领 20 元券，满 199 可用。', weight: 2, group: '售前组' },
  { ask: '收到的商品有破损怎么办？', answer: '非常抱歉！请拍照发给我们，马上为您补发。', weight: 1, group: '售后组' },
];
const deck = questions.flatMap((q) => Array.from({ length: q.weight }, () => q));

export type HistoryConversation = {
  customer: number;
  agent: 'lin' | 'zhou' | 'chen';
  /** The team routing put the conversation in (a member of it answers). */
  group: HistoryGroup;
  /** Shopper's first message. */
  at: number;
  ask: string;
  answer: string;
  firstReplyAfter: number;
  /** A follow-up from the shopper and a second answer (the same agent), or none. */
  followUp: boolean;
  resolvedAfter: number;
  rating: number | null;
};

export function demoHistoryPlan(now: number, zone: string): HistoryConversation[] {
  const month = previousPeriod('month', zone, now);
  const days = Math.round((month.end - month.start) / day);
  const out: HistoryConversation[] = [];
  for (let i = 0; i < days; i++) {
    const q = deck[(i * 7) % deck.length]!;
    const firstReplyAfter = [1, 2, 3, 5, 8, 12, 20, 2, 1, 4, 6, 30][i % 12]! * minute;
    out.push({
      customer: i % historyCustomers.length,
      agent: q.group === '售前组' ? 'lin' : (['zhou', 'chen', 'lin'] as const)[i % 3],
      group: q.group,
      // 09:00–20:59 local (days are 23–25 hours long only at a DST change; the demo's zone has none).
      at: month.start + i * day + (9 + ((i * 5) % 12)) * 60 * minute + ((i * 17) % 60) * minute,
      ask: q.ask,
      answer: q.answer,
      firstReplyAfter,
      followUp: i % 3 === 1,
      resolvedAfter: firstReplyAfter + [10, 25, 45, 90, 15, 240][i % 6]! * minute,
      rating: i % 4 === 3 ? null : [5, 5, 4, 5, 3, 5, 4, 2, 5, 4][i % 10]!,
    });
  }
  return out;
}
