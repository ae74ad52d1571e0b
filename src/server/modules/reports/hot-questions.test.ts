/**
 * The top-10 hot questions of the monthly CS analysis: shoppers' first messages that ask the same
 * thing cluster together (onto a knowledge entry, or onto a shared topic word), different
 * questions stay apart, in Chinese and in English; shares, masked examples and the trend.
 */
import { describe, expect, it, vi } from 'vitest';
import { Matcher } from '../bot/index.ts';
import { clustererOf, hotQuestions, questionText, type Asked } from './hot-questions.ts';

const knowledge = [
  { id: 'k_ship', question: '什么时候发货', similar: ['多久发货', '几天能发货'] },
  { id: 'k_return', question: '怎么退货', similar: ['退货流程', '如何申请退货'] },
  { id: 'k_where', question: 'Where is my order?', similar: ['track my order', 'order status'] },
  { id: 'k_refund', question: 'How do I return an item?', similar: ['return policy', 'send it back'] },
];
let n = 0;
const asked = (text: string, day = 1): Asked => ({ conversationId: `cnv_${++n}`, at: Date.UTC(2026, 9, day, 2), text });
const clusters = (hq: ReturnType<typeof hotQuestions>) =>
  Object.fromEntries(hq.map((h) => [h.key, h.count])) as Record<string, number>;

describe('hot questions', () => {
  it('clusters differently worded questions onto their knowledge entry, in Chinese and English', () => {
    const current = [
      '什么时候发货呀',
      '我的订单多久能发货？',
      '退货怎么弄',
      '我想申请退货',
      'where is my order 12345',
      'can you track my order please',
      'how can I return this item',
      'what is your return policy',
      'what is your return policy',
    ].map((t) => asked(t));
    const hq = hotQuestions(current, [], clustererOf(knowledge));
    expect(clusters(hq)).toEqual({ 'kb:k_ship': 2, 'kb:k_return': 2, 'kb:k_where': 2, 'kb:k_refund': 3 });
    expect(hq[0]).toMatchObject({ key: 'kb:k_refund', label: 'How do I return an item?', share: 33.33 });
  });

  it('without a matching entry, meets on the shared topic word; distinct questions stay apart', () => {
    const current = [
      '优惠券怎么用',
      '优惠券用不了',
      '发票怎么开',
      '发票抬头写错了',
      'coupon code not working',
      'my coupon code is invalid',
      'invoice address is wrong',
      '你好',
    ].map((t) => asked(t));
    const hq = hotQuestions(current, [], clustererOf([]));
    expect(clusters(hq)).toEqual({ 'w:优惠券': 2, 'w:发票': 2, 'w:coupon': 2, 'w:invoic': 1 });
    // A greeting asks nothing: it is in the total, in no cluster.
    expect(hq.find((h) => h.key === 'w:优惠券')!.share).toBe(25);
  });

  it('labels a cluster without an entry with its most representative real message, masked, not a stem', () => {
    const current = [
      'my coupon code is invalid',
      'coupon code not working',
      'coupon code not working at checkout',
      'invoice needed, call me on 13812345678',
      '发票抬头写错了',
      '发票怎么开',
      '发票怎么开呀',
    ].map((t) => asked(t));
    const hq = hotQuestions(current, [], clustererOf([]));
    const labels = Object.fromEntries(hq.map((h) => [h.key, h.label]));
    expect(labels).toEqual({
      // coupon+code+work are the most shared words, and the shorter of the two messages that have them all.
      'w:coupon': 'coupon code not working',
      'w:发票': '发票怎么开',
      'w:invoic': 'invoice needed, call me on 138****5678',
    });
    // Entries keep their standard question as the label (in English too).
    const kb = hotQuestions([asked('track my order please')], [], clustererOf(knowledge));
    expect(kb[0]).toMatchObject({ key: 'kb:k_where', label: 'Where is my order?' });
  });

  it('keeps the top 10 by count, with masked examples spread over the period and the trend', () => {
    const topics = ['物流', '发票', '尺码', '颜色', '价格', '库存', '赠品', '积分', '会员', '包装', '保修'];
    const current = topics.flatMap((w, k) => Array.from({ length: 12 - k }, (_, d) => asked(`${w}？`, d + 1)));
    current.push(asked('物流单号 13812345678 查不到', 30));
    const previous = [asked('物流太慢'), asked('发票开错')];
    const hq = hotQuestions(current, previous, clustererOf([]));
    expect(hq).toHaveLength(10);
    // Labelled with a real message (the most representative, so 物流？ not the long one), never a bare word.
    expect(hq.map((h) => h.label)).toEqual(topics.slice(0, 10).map((w) => `${w}？`));
    expect(hq.map((h) => h.count)).toEqual([13, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(hq[0]!.examples).toEqual(['物流？', '物流单号 138****5678 查不到']);
    expect([hq[0]!.previousShare, hq[2]!.previousShare]).toEqual([50, 0]);
  });

  it('matches and clusters a message without its order number, phone or e-mail: equal questions are equal texts', () => {
    expect(questionText('什么时候发货，订单号 20261100000123')).toBe('什么时候发货，订单号');
    expect(questionText('where is my order  12345, mail me at ann@example.com')).toBe('where is my order , mail me at');
    expect(questionText('打 13812345678 没人接')).toBe('打 没人接');
    expect(questionText('  ')).toBe('');

    const search = vi.spyOn(Matcher.prototype, 'search');
    try {
      const current = [
        '什么时候发货，订单号 20261100000001',
        '什么时候发货，订单号 20261100000002',
        '什么时候发货，订单号20261100000003',
        '20261100000004',
      ].map((t) => asked(t));
      const hq = hotQuestions(current, [], clustererOf(knowledge));
      // Same cluster whatever the number; a bare number asks nothing (in the total, in no cluster).
      expect(clusters(hq)).toEqual({ 'kb:k_ship': 3 });
      expect(hq[0]!.share).toBe(75);
      // The question text was matched once (the bare number not at all), not once per order number.
      expect(search).toHaveBeenCalledTimes(1);
      // The examples are the shoppers' own messages, the number masked as before (its ends kept).
      expect(hq[0]!.examples).toEqual([
        '什么时候发货，订单号 20**********01',
        '什么时候发货，订单号 20**********02',
        '什么时候发货，订单号20**********03',
      ]);
    } finally {
      search.mockRestore();
    }

    // Without a matching entry: the order number is not a topic word, the messages meet on theirs.
    const words = hotQuestions(
      ['优惠券用不了 订单 20261100000011', '优惠券用不了 订单 20261100000012', 'coupon invalid for AB12345678'].map(
        (t) => asked(t),
      ),
      [],
      clustererOf([]),
    );
    expect(clusters(words)).toEqual({ 'w:优惠券': 2, 'w:coupon': 1 });
    expect(words[0]!.label).toBe('优惠券用不了 订单 20**********11');
  });
});
