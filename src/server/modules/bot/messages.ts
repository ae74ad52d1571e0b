/** What the bot writes for agents (its hand-off note), in the workspace's language (lib/language.ts). */
import type { Language } from '../../lib/language.ts';

type HandOffWords = {
  heading: string;
  reason: string;
  intent: string;
  order: string;
  asked: string;
  reasons: Record<string, string>;
  /** The shopper's intent (engine/intents.ts), as words. */
  intents: Record<string, string>;
  /** What the bot did with each earlier message (bot_turns.outcome). */
  outcomes: Record<string, string>;
};

export const handOffWords: Record<Language, HandOffWords> = {
  'zh-CN': {
    heading: '机器人转人工',
    reason: '原因',
    intent: '意图',
    order: '订单',
    asked: '顾客的问题与机器人的回答',
    reasons: {
      asked_for_human: '顾客要求人工',
      complaint: '投诉',
      two_misses: '连续两次未能回答',
      bot_error: '机器人故障',
    },
    intents: {
      handoff: '要求人工',
      complaint: '投诉',
      logistics: '物流',
      order_status: '订单状态',
      return: '退换货',
      invoice: '发票',
      address_change: '改地址',
      greeting: '问候',
      thanks: '致谢',
    },
    outcomes: {
      answered: '已回答',
      suggested: '给出了猜您想问',
      handed_off: '转人工',
      order: '查询了订单',
      script: '按话术回复',
      missed: '未能回答',
      failed: '出错',
      pending: '处理中',
      silent: '未回复',
    },
  },
  en: {
    heading: 'Bot hand-off',
    reason: 'Reason',
    intent: 'Intent',
    order: 'Order',
    asked: 'Asked → answered',
    reasons: {
      asked_for_human: 'asked for a person',
      complaint: 'complaint',
      two_misses: 'two misses in a row',
      bot_error: 'the bot failed',
    },
    intents: {
      handoff: 'asks for a person',
      complaint: 'complaint',
      logistics: 'logistics',
      order_status: 'order status',
      return: 'return or exchange',
      invoice: 'invoice',
      address_change: 'address change',
      greeting: 'greeting',
      thanks: 'thanks',
    },
    outcomes: {
      answered: 'answered',
      suggested: 'offered suggestions',
      handed_off: 'handed off',
      order: 'looked up the order',
      script: 'scripted reply',
      missed: 'not understood',
      failed: 'failed',
      pending: 'pending',
      silent: 'no reply',
    },
  },
};

/** The internal note agents see when the bot hands a conversation over. */
export function handOffNote(
  lang: Language,
  x: { reason: string; intent: string | null; order: string | null; asked: string },
): string {
  const w = handOffWords[lang];
  const colon = lang === 'zh-CN' ? '：' : ': ';
  return [
    w.heading,
    `${w.reason}${colon}${w.reasons[x.reason] ?? x.reason}`,
    `${w.intent}${colon}${x.intent ? (w.intents[x.intent] ?? x.intent) : '-'}`,
    `${w.order}${colon}${x.order ?? '-'}`,
    `${w.asked}${colon.trim()}`,
    x.asked,
  ].join('\n');
}
