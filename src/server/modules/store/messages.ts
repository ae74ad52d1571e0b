/**
 * Platform shipment statuses (Shopify's) as words for shoppers and agents, in one language. A
 * carrier's own tracking events arrive as its text; a platform status arrives as a code, and the
 * reader's language picks its words (lib/language.ts).
 */
import type { Language } from '../../lib/language.ts';
import type { TrackingEvent } from './adapter.ts';

export const shipmentStatusText: Record<Language, Record<string, string>> = {
  'zh-CN': {
    label_printed: '已打印面单',
    label_purchased: '已下单快递',
    confirmed: '已发货',
    ready_for_pickup: '待取件',
    in_transit: '运输中',
    out_for_delivery: '派送中',
    attempted_delivery: '派送未成功',
    delivered: '已签收',
    failure: '派送失败',
  },
  en: {
    label_printed: 'Label printed',
    label_purchased: 'Label purchased',
    confirmed: 'Shipped',
    ready_for_pickup: 'Ready for pickup',
    in_transit: 'In transit',
    out_for_delivery: 'Out for delivery',
    attempted_delivery: 'Delivery attempted',
    delivered: 'Delivered',
    failure: 'Delivery failed',
  },
};

/** A tracking event's text in `lang`: a platform status's words, else the carrier's own text. */
export function trackingText(e: Pick<TrackingEvent, 'text' | 'code'>, lang: Language): string {
  return (e.code && shipmentStatusText[lang][e.code]) || e.text;
}
