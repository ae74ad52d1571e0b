import { describe, expect, it } from 'vitest';
import { searchTerms, textQuery } from './search-terms.ts';

describe('search terms', () => {
  it('splits Chinese into overlapping bigrams and keeps other words whole', () => {
    expect(searchTerms('我要开发票！订单号SO-2024-001，谢谢')).toEqual([
      '我要',
      '要开',
      '开发',
      '发票',
      '订单',
      '单号',
      'so',
      '2024',
      '001',
      '谢谢',
    ]);
    expect(searchTerms('好 Invoice42 の')).toEqual(['好', 'invoice42', 'の']);
  });

  it('asks for phrases of terms, every part required, the last word possibly a prefix', () => {
    expect(textQuery('发票')).toEqual({ parts: ['发票'], match: '"发票"' });
    expect(textQuery(' 退货地址  so2024 ')).toEqual({
      parts: ['退货地址', 'so2024'],
      match: '"退货 货地 地址" AND "so2024" *',
    });
    // One character matches too much; punctuation alone is nothing to look for.
    expect(textQuery('票')).toBeNull();
    expect(textQuery('发票 a')).toBeNull();
    expect(textQuery('？！')).toBeNull();
  });
});
