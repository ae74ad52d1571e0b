/**
 * What the generated shop says: customer-service Chinese (with some English), names, phones,
 * order numbers. A seeded generator, so every run (and both engines) gets the same data.
 */

/** Mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

export const customerLines = [
  '你好，我想问一下我的订单什么时候发货',
  '请问可以开发票吗？抬头是公司名称',
  '退货地址是哪里？我想退掉这件衣服',
  '快递三天了一直没有更新物流信息',
  '商品有质量问题，申请退款',
  '可以改一下收货地址吗',
  '优惠券用不了怎么办',
  '这个尺码偏大还是偏小',
  '颜色和图片不一样，有点失望',
  '包装破损了，里面的东西也坏了',
  '什么时候补货？想买两件',
  '能便宜一点吗，买了好几次了',
  '我要投诉，等了好久都没人回复',
  '赠品没有收到',
  '能不能发顺丰？比较急',
  'Hello, where is my package? It has been a week.',
  'Can I change the size to M?',
  '收到了，质量不错，谢谢',
  '换货的话运费谁出？',
  '会员积分怎么用',
  '下单的时候备注了要礼盒包装',
  '昨天付款的，今天能发出吗',
] as const;

export const agentLines = [
  '您好，请问有什么可以帮您？',
  '已为您登记，请耐心等待',
  '请提供一下订单号，我帮您查询',
  '好的，麻烦您了，我这边马上处理',
  '发票会在三个工作日内开好，请查收邮件',
  '抱歉给您带来不便，我们会尽快为您退款',
  '退货地址已经通过短信发给您了',
  '物流显示明天送达，请注意查收',
  '这边帮您申请了补发，请留意快递信息',
  '亲，已经为您备注加急发货了',
  'Sorry for the delay, your parcel is on its way.',
  '还有其他问题随时联系我们',
] as const;

export const ticketSubjects = [
  '申请开具增值税发票',
  '退货退款：商品质量问题',
  '物流长时间未更新',
  '修改收货地址',
  '赠品未收到',
  '投诉：客服响应慢',
  '换货申请（尺码不合适）',
  '包裹破损，申请补发',
  '优惠券无法使用',
  '会员积分异常',
  '预售商品发货时间咨询',
  'Refund request for order',
] as const;

export const tagPool = ['vip', '退款', '物流', '发票', 'offline', '投诉', '加急'] as const;

const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const given =
  '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏飞浩宇欣怡佳琪子涵梓轩雨桐思远一诺晨曦嘉懿博文';

/** A Chinese name, distinct for distinct i (surname × two given characters covers 100k+ people). */
export function personName(i: number): string {
  const s = [...surnames];
  const g = [...given];
  return s[i % s.length] + g[Math.floor(i / s.length) % g.length] + g[Math.floor(i / (s.length * g.length)) % g.length];
}

/** A mainland mobile number, distinct for distinct i. */
export const phoneOf = (i: number): string =>
  `13${(i % 10).toString()}${String(10_000_000 + ((i * 7919) % 89_999_999)).slice(-8)}`;

export const emailOf = (i: number): string => `shopper${i}@example.com`;

/** An order number as marketplaces print them, distinct for distinct i. */
export const orderNoOf = (i: number): string => `SO${String(202400000000 + i * 13)}`;
