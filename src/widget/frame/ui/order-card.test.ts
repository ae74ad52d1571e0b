import { describe, expect, it } from 'vitest';
import type { VNode } from 'preact';
import { orderCardBody, type OrderCard } from '../../../shared/order-card.ts';
import { strings } from '../i18n.ts';
import { cardOfMessage, OrderCardView } from './order-card.tsx';

const card: OrderCard = {
  orderNo: 'DD20261203001',
  status: 'shipped',
  items: [{ name: '轻薄羽绒服 黑色 M', qty: 1, price: 29900 }],
  moreItems: 2,
  total: 29900,
  currency: 'CNY',
  createdAt: '2026-12-03T02:00:00Z',
  tracking: {
    carrier: '顺丰速运',
    trackingNo: 'SF1402****5612',
    at: '2026-12-05T06:00:00Z',
    location: '浙江省 杭州市',
    text: '快件已到达【杭州转运中心】',
  },
};

/** Every text of a vnode tree (components called as the renderer would). */
function text(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(text).join('');
  const v = node as VNode<{ children?: unknown }>;
  if (typeof v.type === 'function') return text((v.type as (p: unknown) => unknown)(v.props));
  return text(v.props.children);
}

describe('the widget order card', () => {
  it('draws the order number, status, items, amount and latest tracking in the shopper language', () => {
    const zh = text(OrderCardView({ card, t: strings('zh-CN'), lang: 'zh-CN' }));
    for (const part of [
      '订单 DD20261203001',
      '已发货',
      '轻薄羽绒服 黑色 M',
      '×1',
      '另有 2 件商品',
      '¥299.00',
      '顺丰速运 SF1402****5612',
      '快件已到达【杭州转运中心】',
    ])
      expect(zh).toContain(part);
    const en = text(OrderCardView({ card: { ...card, tracking: null }, t: strings('en'), lang: 'en' }));
    expect(en).toContain('Order DD20261203001');
    expect(en).toContain('Shipped');
    expect(en).not.toContain('Latest tracking');
  });

  it("draws cards from agents' and the bot's messages only, and never a garbled token", () => {
    const body = orderCardBody(card);
    expect(cardOfMessage({ body, sender: { type: 'agent', id: 'u', name: null } })).toEqual(card);
    expect(cardOfMessage({ body, sender: { type: 'bot', id: null, name: null } })).toEqual(card);
    expect(cardOfMessage({ body, sender: { type: 'customer', id: 'c', name: null } })).toBeNull();
    const garbled = body.replace(/\[\[order:[^\]]+\]\]/, '[[order:bm90LWpzb24tYXQtYWxs]]');
    expect(cardOfMessage({ body: garbled, sender: { type: 'agent', id: 'u', name: null } })).toBeNull();
    const bad = orderCardBody({ ...card, status: 'lost' as OrderCard['status'] });
    expect(cardOfMessage({ body: bad, sender: { type: 'agent', id: 'u', name: null } })).toBeNull();
  });
});
