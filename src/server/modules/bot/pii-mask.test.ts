/** Personal data masked before a shopper's words go to an LLM; ordinary questions left alone. */
import { describe, expect, it } from 'vitest';
import { maskForLlm } from './pii-mask.ts';

describe('maskForLlm', () => {
  it.each([
    ['我手机13812345678，能改地址吗', '我手机<PHONE>，能改地址吗'],
    ['call me at +86 138-1234-5678 please', 'call me at <PHONE> please'],
    ['座机0571-88881234', '座机<PHONE>'],
    ['UK number +44 20 7946 0958', 'UK number <PHONE>'],
    ['邮箱zhang.san@example.com什么时候回复', '邮箱<EMAIL>什么时候回复'],
    ['身份证11010519491231002X开发票', '身份证<ID_NUMBER>开发票'],
    ['订单DD20261203001到哪了', '订单<ORDER_NO>到哪了'],
    ['order SO123456 where is it', 'order <ORDER_NO> where is it'],
    ['单号 SF1402 3345 5612 查一下', '单号 SF<NUMBER> 查一下'],
    // Over-masking is accepted: the words before an address may go with it.
    ['寄到浙江省杭州市西湖区文三路90号3号楼502室', '<ADDRESS>'],
    ['我在阳光花园3栋1201', '<ADDRESS>'],
    ['北京市朝阳区的仓库发货吗', '<ADDRESS>的仓库发货吗'],
    ['ship to 221B Baker Street, Apt 4 London', 'ship to <ADDRESS> London'],
  ])('%s', (input, masked) => {
    expect(maskForLlm(input)).toBe(masked);
  });

  it('leaves questions without personal data as they are', () => {
    for (const q of [
      '运费怎么算',
      '这两个有什么区别',
      '买了3件打几折',
      '满299减30怎么用',
      'order #1001 where is it',
      '7天无理由退货',
    ])
      expect(maskForLlm(q)).toBe(q);
  });
});
