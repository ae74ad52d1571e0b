import { describe, expect, it } from 'vitest';
import { slaMail } from './messages.ts';

describe('notification e-mails', () => {
  const x = { ref: '#12 ', title: '发票开错了', target: 'firstResponse', at: '2026-03-02T09:30:00.000Z', url: '/t' };

  it('writes an SLA e-mail in one language, Chinese or English, with the target as a word', () => {
    expect(slaMail('zh-CN', { ...x, breach: true })).toEqual({
      subject: '[Kefu] SLA 已超时 · #12 发票开错了',
      text: 'SLA 已超时\n#12 发票开错了\n首次响应：截止 2026-03-02T09:30:00.000Z\n/t\n',
    });
    expect(slaMail('en', { ...x, breach: false, target: 'resolution' })).toEqual({
      subject: '[Kefu] SLA at risk · #12 发票开错了',
      text: 'SLA at risk\n#12 发票开错了\nResolution: due 2026-03-02T09:30:00.000Z\n/t\n',
    });
  });
});
