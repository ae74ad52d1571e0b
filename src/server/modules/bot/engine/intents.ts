/**
 * Intents and slots, by rules (zh-CN and English): what a message asks for before the knowledge
 * base is asked. Hand-off and complaint hand over at once; order status, logistics, returns and
 * address changes need an order (the number is a slot: asked for when missing).
 */
import { normalize } from './text.ts';

export const intents = [
  'handoff',
  'complaint',
  'logistics',
  'order_status',
  'return',
  'invoice',
  'address_change',
  'greeting',
  'thanks',
] as const;
export type Intent = (typeof intents)[number];

const rules: [Intent, RegExp][] = [
  [
    'handoff',
    /转人工|人工客服|人工服务|找客服|真人|接人工|要人工|人工$|^人工|客服在吗|\b(agent|human|real person|representative|operator|live person)\b/,
  ],
  ['complaint', /投诉|举报|12315|差评|骗子|欺诈|太差劲|垃圾服务|\b(complain|complaint|scam|fraud|sue)\b/],
  [
    'logistics',
    /快递.{0,4}(到哪|在哪|到了吗|什么时候到|几天到|进度)|物流(信息|进度|到哪|查询)?.{0,3}(查|到哪|怎么|不动|没更新)|包裹.{0,3}(到哪|在哪)|到哪了|查物流|查快递|单号|\b(where is my (order|parcel|package)|track(ing)?|shipment status)\b/,
  ],
  [
    'order_status',
    /订单.{0,4}(状态|进度|怎么样了|到哪一步|什么情况|发货了吗)|发货了吗|发了吗|\b(order status|status of my order|has my order shipped)\b/,
  ],
  [
    'address_change',
    /(改|修改|更换|换).{0,3}(收货)?地址|地址.{0,3}(填错|写错|改)|\bchange (my |the )?(shipping )?address\b/,
  ],
  ['return', /退货|退款|换货|退换|售后|\b(return|refund|exchange)\b/],
  ['invoice', /发票|开票|\b(invoice|receipt)\b/],
  ['greeting', /^(你好|您好|在吗|在不在|hello|hi|hey|哈喽|嗨)[\s!！。,，?？~]*$/],
  ['thanks', /^(谢谢|多谢|感谢|好的谢谢|thanks|thank you|thx)[\s!！。,，~]*$/],
];

/** An order number in a message: 8–24 digits, or letters then 6+ digits (DD20261205001). */
const orderNumber = /(?<![\p{L}\p{N}])([a-z]{0,4}\d{8,24}|[a-z]{1,4}\d{6,24})(?![\p{L}\p{N}])/iu;

export type Detected = { intent: Intent | null; orderNo: string | null };

export function detectIntent(text: string): Detected {
  const t = normalize(text);
  const m = orderNumber.exec(text.normalize('NFKC'));
  const orderNo = m ? m[1]!.toUpperCase() : null;
  for (const [intent, re] of rules) if (re.test(t)) return { intent, orderNo };
  return { intent: null, orderNo };
}

/** Intents that need an order to answer from the store. */
export const needsOrder = new Set<Intent>(['logistics', 'order_status', 'address_change']);
