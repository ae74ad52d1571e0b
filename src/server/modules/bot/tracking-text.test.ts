import { describe, expect, it } from 'vitest';
import { trackingText, type StoreOrder } from '../store/index.ts';
import { orderAnswer } from './reply.ts';

const order: StoreOrder = {
  orderNo: 'SH1001',
  status: 'shipped',
  items: [{ name: '保温杯', qty: 1, price: 9900 }],
  total: 9900,
  currency: 'CNY',
  createdAt: '2026-03-01T02:00:00.000Z',
  paidAt: '2026-03-01T02:01:00.000Z',
  shippedAt: '2026-03-01T08:00:00.000Z',
  deliveredAt: null,
  receiver: null,
  shipments: [
    {
      carrier: 'SF Express',
      trackingNo: 'SF1402000005612',
      status: 'in_transit',
      // A Shopify status: a code, with its Chinese words as the text.
      events: [{ at: '2026-03-02T01:00:00.000Z', location: '', text: '运输中', code: 'in_transit' }],
    },
  ],
  refund: null,
};

describe('shipment statuses in one language', () => {
  it('words a platform status in the reader language, and keeps a carrier text as it came', () => {
    expect(trackingText({ text: '运输中', code: 'in_transit' }, 'en')).toBe('In transit');
    expect(trackingText({ text: '运输中', code: 'in_transit' }, 'zh-CN')).toBe('运输中');
    expect(trackingText({ text: '已到达【杭州转运中心】' }, 'en')).toBe('已到达【杭州转运中心】');
  });

  it("answers a shopper's logistics question with the status in their language only", () => {
    const now = new Date('2026-03-02T02:00:00.000Z');
    const en = orderAnswer(order, 'logistics', 'en', now);
    expect(en).toMatch(/Latest: .* In transit$/);
    expect(en).not.toContain('运输中');
    const zh = orderAnswer(order, 'logistics', 'zh-CN', now);
    expect(zh).toMatch(/最新：.* 运输中$/);
    expect(zh).not.toContain('In transit');
  });
});
