import { describe, expect, it } from 'vitest';
import { customerLabel, defaultComposerMode } from './model.ts';

const words = { visitor: '访客', none: '无关联客户' };

describe('customerLabel (defect 1)', () => {
  it('names a ticket that holds a customer without a name as a visitor (as the inbox does), not "no customer"', () => {
    expect(customerLabel({ customerId: 'cus_01JX4B2E', customerName: null }, words)).toBe('访客 4B2E');
    expect(customerLabel({ customerId: 'cus_1', customerName: '王丽' }, words)).toBe('王丽');
    expect(customerLabel({ customerId: null, customerName: null }, words)).toBe('无关联客户');
  });
});

describe('defaultComposerMode (defect 2)', () => {
  it('starts as a note when nothing can reach the customer, as a reply when a conversation carries it', () => {
    expect(defaultComposerMode({ conversationId: null })).toBe('note');
    expect(defaultComposerMode({ conversationId: 'cnv_1' })).toBe('reply');
  });
});
