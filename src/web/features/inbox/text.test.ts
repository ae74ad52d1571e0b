import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { alertFor } from './alerts.ts';
import { fillVariables, filterCanned, formatBytes, linkParts, relativeTime, slashQuery } from './text.ts';

describe('relativeTime', () => {
  const now = Date.parse('2025-06-15T12:00:00Z');
  it('counts minutes and hours, then shows the date in the zone', () => {
    expect(relativeTime('2025-06-15T11:59:50Z', now, 'en', 'UTC')).toBe('now');
    expect(relativeTime('2025-06-15T11:55:00Z', now, 'en', 'UTC')).toBe('5m ago');
    expect(relativeTime('2025-06-15T09:00:00Z', now, 'zh-CN', 'UTC')).toBe('3小时前');
    expect(relativeTime('2025-06-10T09:00:00Z', now, 'en', 'Asia/Shanghai')).toBe('06-10');
    expect(relativeTime('2024-12-31T20:00:00Z', now, 'en', 'Asia/Shanghai')).toBe('01-01'); // already 2025 in Shanghai
    expect(relativeTime('2024-06-01T20:00:00Z', now, 'en', 'Asia/Shanghai')).toBe('2024-06-02');
    expect(relativeTime(null, now, 'en', 'UTC')).toBe('');
  });
});

describe('canned replies', () => {
  const items = [
    { id: '1', shortCode: 'thanks', content: '感谢 {{customer.name}} 的耐心', createdAt: '' },
    { id: '2', shortCode: 'hi', content: '您好，我是{{agent.name}}', createdAt: '' },
    { id: '3', shortCode: 'shipping-hi', content: '发货时间', createdAt: '' },
  ];
  it('filters by short code prefix first, then by contained text', () => {
    expect(filterCanned(items, '').map((c) => c.shortCode)).toEqual(['hi', 'shipping-hi', 'thanks']);
    expect(filterCanned(items, 'hi').map((c) => c.shortCode)).toEqual(['hi', 'shipping-hi']);
    expect(filterCanned(items, '发货').map((c) => c.shortCode)).toEqual(['shipping-hi']);
  });
  it('substitutes the variables', () => {
    expect(fillVariables(items[1].content, { customerName: '张三', agentName: '小王' })).toBe('您好，我是小王');
    expect(fillVariables('Hi {{ customer.name }}, {{agent.name}} here', { customerName: null, agentName: 'Ann' })).toBe(
      'Hi , Ann here',
    );
  });
  it('finds the slash word at the caret', () => {
    expect(slashQuery('/', 1)).toEqual({ start: 0, search: '' });
    expect(slashQuery('hello /th', 9)).toEqual({ start: 6, search: 'th' });
    expect(slashQuery('a/b', 3)).toBeNull(); // a URL or path, not a command
    expect(slashQuery('/th more', 8)).toBeNull();
  });
});

describe('formatBytes', () => {
  it('uses B, KB and MB', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});

describe('alertFor', () => {
  const now = Date.parse('2025-06-15T12:00:00Z');
  const base: ConversationSummary = {
    id: 'cnv_1',
    inboxId: 'inb_1',
    customerId: 'cus_1',
    customerName: '张三',
    status: 'open',
    assigneeId: null,
    lastSeq: 1,
    lastMessageAt: '2025-06-15T11:59:59Z',
    lastMessagePreview: 'hi',
    agentLastReadSeq: 0,
    customerLastReadSeq: 1,
    labelIds: [],
    snoozedUntil: null,
    createdAt: '2025-06-15T11:59:58Z',
  };
  const ctx = { meId: 'usr_me', openConv: null, visible: true, now };

  it('alerts a new conversation once, then new customer messages', () => {
    expect(alertFor(undefined, base, ctx)).toBe('newConversation');
    expect(alertFor(undefined, { ...base, lastSeq: 0 }, ctx)).toBeNull(); // created, nothing said yet
    expect(alertFor({ ...base, lastSeq: 0 }, base, ctx)).toBe('newConversation');
    expect(alertFor(base, { ...base, lastSeq: 2 }, ctx)).toBe('newMessage');
    expect(alertFor(base, base, ctx)).toBeNull(); // only the read position changed
  });

  it("stays quiet for own messages, others' conversations and the one being watched", () => {
    expect(alertFor(base, { ...base, lastSeq: 2, agentLastReadSeq: 2 }, ctx)).toBeNull();
    expect(alertFor(base, { ...base, lastSeq: 2, assigneeId: 'usr_other' }, ctx)).toBeNull();
    expect(alertFor(base, { ...base, lastSeq: 2, assigneeId: 'usr_me' }, ctx)).toBe('newMessage');
    expect(alertFor(base, { ...base, lastSeq: 2 }, { ...ctx, openConv: 'cnv_1' })).toBeNull();
    expect(alertFor(base, { ...base, lastSeq: 2 }, { ...ctx, openConv: 'cnv_1', visible: false })).toBe('newMessage');
  });

  it('treats an unknown old conversation with a fresh message as a new message', () => {
    const old = { ...base, createdAt: '2025-06-01T00:00:00Z', lastSeq: 9, agentLastReadSeq: 8 };
    expect(alertFor(undefined, old, ctx)).toBe('newMessage');
    expect(alertFor(undefined, { ...old, lastMessageAt: '2025-06-14T00:00:00Z' }, ctx)).toBeNull();
  });
});

describe('linkParts (defect 13: links in the agent thread)', () => {
  it('cuts web addresses out of a message, leaving trailing punctuation and full-width text as text', () => {
    expect(linkParts('详情页：https://shop.example.com/item/88231。谢谢')).toEqual([
      { text: '详情页：' },
      { text: 'https://shop.example.com/item/88231', href: 'https://shop.example.com/item/88231' },
      { text: '。谢谢' },
    ]);
    expect(linkParts('see http://a.example/x, ok')).toEqual([
      { text: 'see ' },
      { text: 'http://a.example/x', href: 'http://a.example/x' },
      { text: ', ok' },
    ]);
  });

  it('never links other schemes', () => {
    expect(linkParts('javascript:alert(1) data:text/html,x')).toEqual([
      { text: 'javascript:alert(1) data:text/html,x' },
    ]);
  });
});
