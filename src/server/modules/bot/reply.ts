/**
 * What the bot says to one shopper message: intents first (hand-off and complaints at once; order
 * questions answered from the store, asking for the order number when it is missing), then the
 * knowledge base in three bands, then the fallback; two misses in a row hand off. Pure apart from
 * the lookups it is given, so every branch is unit-tested without a server.
 */
import type { BotLanguage, Scripts } from '../../../shared/bot-api.ts';
import type { Entry } from '../../../shared/knowledge-api.ts';
import { detectIntent, needsOrder, type Intent } from './engine/intents.ts';
import type { Matcher, Ranked } from './engine/matcher.ts';
import type { Refine } from './assist.ts';
import { maskTracking, StoreUnavailable, trackingText, type StoreOrder } from '../store/index.ts';

export type Session = { misses: number; pending: string | null };
export type Outcome = 'answered' | 'suggested' | 'handed_off' | 'order' | 'script' | 'missed';
export type Reply = {
  text: string;
  buttons: string[];
  outcome: Outcome;
  intent: Intent | null;
  entryId: string | null;
  confidence: number | null;
  orderNo: string | null;
  /** Set when the conversation goes to the agents; why. */
  handoff: string | null;
  session: Session;
};
export type ReplyInput = {
  text: string;
  lang: BotLanguage;
  scripts: Scripts;
  session: Session;
  matcher: Matcher;
  entries: Map<string, Entry>;
  allow: (e: Entry | undefined) => boolean;
  findOrder: (orderNo: string) => Promise<StoreOrder | null>;
  recentOrders: () => Promise<StoreOrder[]>;
  /** The order number the shopper gave in the pre-chat form: their order when a question names none. */
  givenOrderNo?: () => Promise<string | null>;
  now: Date;
  /** The optional dense stream and LLM (`assist.ts`): may re-rank, and phrase the answer. */
  refine?: Refine;
};

/** English only when the message has Latin words and no Chinese; an order number alone is read as Chinese (the default). */
export function languageOf(text: string): BotLanguage {
  if (/\p{Script=Han}/u.test(text)) return 'zh-CN';
  const words = text.replace(/[a-z]{0,4}\d{6,}/gi, ' ').match(/[a-z]{2,}/gi) ?? [];
  return words.length ? 'en' : 'zh-CN';
}

const humanButton = { 'zh-CN': '转人工', en: 'Talk to an agent' };
const statusText: Record<BotLanguage, Record<string, string>> = {
  'zh-CN': {
    unpaid: '待付款',
    paid: '已付款，待发货',
    shipped: '已发货',
    delivered: '已签收',
    completed: '已完成',
    cancelled: '已取消',
    refunding: '退款中',
    refunded: '已退款',
  },
  en: {
    unpaid: 'awaiting payment',
    paid: 'paid, not shipped yet',
    shipped: 'shipped',
    delivered: 'delivered',
    completed: 'completed',
    cancelled: 'cancelled',
    refunding: 'refund in progress',
    refunded: 'refunded',
  },
};

function fmt(iso: string, lang: BotLanguage): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  // Shoppers of the demo are in China: show Beijing time.
  const b = new Date(d.getTime() + 8 * 3_600_000);
  const s = `${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`;
  return lang === 'zh-CN' ? s : `${s} (UTC+8)`;
}

/** The answer about an order for an intent (logistics, status, address change, return). */
export function orderAnswer(o: StoreOrder, intent: Intent | null, lang: BotLanguage, now: Date): string {
  const zh = lang === 'zh-CN';
  const status = statusText[lang][o.status] ?? o.status;
  const ship = o.shipments[0];
  const last = ship?.events[ship.events.length - 1];
  if (intent === 'address_change') {
    if (o.status === 'unpaid' || o.status === 'paid')
      return zh
        ? `订单 ${o.orderNo} 尚未发货，可以修改地址：请在「我的订单-修改地址」中操作，或转人工由客服为您修改。`
        : `Order ${o.orderNo} has not shipped yet, so the address can still be changed under "My orders", or an agent can do it for you.`;
    return zh
      ? `订单 ${o.orderNo} ${status}，已无法在线修改地址，建议联系快递改派或转人工处理。`
      : `Order ${o.orderNo} is ${status}; the address can no longer be changed online. An agent can help with a redelivery.`;
  }
  if (intent === 'return') {
    const delivered = o.deliveredAt ? new Date(o.deliveredAt) : null;
    const days = delivered ? (now.getTime() - delivered.getTime()) / 86_400_000 : null;
    if (days !== null && days <= 7 && (o.status === 'delivered' || o.status === 'completed'))
      return zh
        ? `订单 ${o.orderNo} 于 ${fmt(o.deliveredAt!, lang)} 签收，在 7 天无理由退货期内，可在「我的订单-申请售后」中提交退货。`
        : `Order ${o.orderNo} was delivered on ${fmt(o.deliveredAt!, lang)} and is within the 7-day return window: request a return under "My orders".`;
    if (o.status === 'refunding' || o.status === 'refunded')
      return zh ? `订单 ${o.orderNo} ${status}。` : `Order ${o.orderNo}: ${status}.`;
    if (!delivered)
      return zh
        ? `订单 ${o.orderNo} ${status}，签收后 7 天内可申请无理由退货；未发货的订单可以直接取消。`
        : `Order ${o.orderNo} is ${status}. Returns open once it is delivered (7 days); an unshipped order can be cancelled instead.`;
    return zh
      ? `订单 ${o.orderNo} 已签收超过 7 天，不在无理由退货期内；如有质量问题，请转人工处理。`
      : `Order ${o.orderNo} was delivered more than 7 days ago, outside the return window. For a quality problem, please talk to an agent.`;
  }
  if (ship && last && (intent === 'logistics' || o.status === 'shipped' || o.status === 'delivered')) {
    const text = trackingText(last, lang);
    return zh
      ? `您的订单 ${o.orderNo} 已由${ship.carrier}发出，单号 ${maskTracking(ship.trackingNo)}，最新：${fmt(last.at, lang)} ${text}${last.location && !text.includes(last.location) ? `（${last.location}）` : ''}`
      : `Your order ${o.orderNo} was shipped by ${ship.carrier}, tracking ${maskTracking(ship.trackingNo)}. Latest: ${fmt(last.at, lang)} ${text}${last.location ? ` (${last.location})` : ''}`;
  }
  const items = o.items.map((i) => `${i.name} ×${i.qty}`).join(zh ? '、' : ', ');
  return zh
    ? `订单 ${o.orderNo} 当前状态：${status}（${items}）。${o.status === 'paid' ? '现货将在付款后 24 小时内发出。' : ''}`
    : `Order ${o.orderNo} is ${status} (${items}).${o.status === 'paid' ? ' In-stock items ship within 24 hours of payment.' : ''}`;
}

export async function decide(input: ReplyInput): Promise<Reply> {
  const { lang, scripts, session } = input;
  const human = humanButton[lang];
  const { intent, orderNo } = detectIntent(input.text);
  const base = { intent, orderNo, entryId: null, confidence: null, handoff: null };
  const handoff = (why: string): Reply => ({
    ...base,
    text: scripts.handoff,
    buttons: [],
    outcome: 'handed_off',
    handoff: why,
    session: { misses: 0, pending: null },
  });
  const miss = (r: Omit<Reply, 'session' | 'outcome'>, outcome: Outcome): Reply => {
    if (session.misses + 1 >= 2) return handoff('two_misses');
    return { ...r, outcome, session: { misses: session.misses + 1, pending: null } };
  };
  if (intent === 'handoff') return handoff('asked_for_human');
  if (intent === 'complaint') return handoff('complaint');

  const orderIntent = (intent && needsOrder.has(intent)) || (intent === 'return' && orderNo) ? intent : null;
  const waiting = session.pending as Intent | null;
  if (orderIntent || (waiting && orderNo)) {
    const want = orderIntent ?? waiting;
    const ask = async (): Promise<Reply> => {
      const buttons = await input
        .recentOrders()
        .then((os) => os.slice(0, 3).map((o) => o.orderNo))
        .catch(() => [] as string[]);
      return { ...base, text: scripts.askOrder, buttons, outcome: 'script', session: { misses: 0, pending: want } };
    };
    // Not named in the message: the one from the pre-chat form, if any (asked for when the store lacks it).
    const given = orderNo ? null : ((await input.givenOrderNo?.()) ?? null);
    const known = orderNo ?? given;
    if (!known) return ask();
    let order: StoreOrder | null;
    try {
      order = await input.findOrder(known);
    } catch (err) {
      if (err instanceof StoreUnavailable)
        return {
          ...base,
          text: scripts.storeDown,
          buttons: [human],
          outcome: 'missed',
          session: { misses: session.misses, pending: null },
        };
      throw err;
    }
    if (!order && given) return ask();
    if (!order) {
      const text =
        lang === 'zh-CN'
          ? `没有找到订单 ${orderNo}，请核对订单号后重新发送。`
          : `I couldn't find order ${orderNo}. Please check the number and send it again.`;
      return miss({ ...base, text, buttons: [human] }, 'missed');
    }
    return {
      ...base,
      orderNo: known,
      text: orderAnswer(order, want, lang, input.now),
      buttons: [human],
      outcome: 'order',
      session: { misses: 0, pending: null },
    };
  }

  let ranked: Ranked = input.text.trim()
    ? input.matcher.search(input.text, { k: 5, allow: (e) => input.allow(input.entries.get(e.id)) })
    : {
        candidates: [],
        confidence: 0,
        band: 'handoff',
        unknownShare: 1,
        gated: false,
        confidenceFeatures: [],
        queryTerms: 0,
      };
  let phrased: string | null = null;
  if (input.refine && ranked.candidates.length) ({ ranked, answer: phrased } = await input.refine(input.text, ranked));
  const top = ranked.candidates[0];
  if (top && ranked.band === 'answer') {
    const e = input.entries.get(top.id)!;
    return {
      ...base,
      entryId: e.id,
      confidence: ranked.confidence,
      text: phrased ?? e.answer,
      buttons: e.buttons.length ? e.buttons : [],
      outcome: 'answered',
      session: { misses: 0, pending: null },
    };
  }
  if (intent === 'greeting' || intent === 'thanks') {
    const text =
      intent === 'greeting'
        ? scripts.greeting
        : lang === 'zh-CN'
          ? '不客气，还有其他问题随时问我～'
          : "You're welcome!";
    return { ...base, text, buttons: [], outcome: 'script', session: { misses: 0, pending: null } };
  }
  if (top && ranked.band === 'suggest') {
    const questions = ranked.candidates.slice(0, 3).map((c) => input.entries.get(c.id)!.question);
    const text = lang === 'zh-CN' ? '您是不是想问：' : 'Did you mean:';
    return miss(
      { ...base, entryId: top.id, confidence: ranked.confidence, text, buttons: [...questions, human] },
      'suggested',
    );
  }
  return miss({ ...base, confidence: ranked.confidence, text: scripts.fallback, buttons: [human] }, 'missed');
}
