import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../shared/realtime/outbox.ts';
import type { Message } from '../../shared/realtime/protocol.ts';
import { message } from '../../shared/realtime/testing.ts';
import { ChatState, type ChatSource } from './chat-state.ts';

const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, n)).toISOString();

/** What the realtime client would hold: messages per conversation (in seq order) and the outbox. */
function source() {
  const convs = new Map<string, Message[]>();
  const outbox: OutboxEntry[] = [];
  const src: ChatSource = {
    conversations: () => [...convs.keys()],
    messages: (conv) => convs.get(conv) ?? [],
    pending: () => outbox,
  };
  const add = (m: Message) => convs.set(m.conv, [...(convs.get(m.conv) ?? []), m]);
  return { src, add, convs, outbox };
}

describe('timeline', () => {
  it('orders conversations by their first message, then what is still pending', () => {
    const s = source();
    s.add(message('new', 1, 'agent', { at: at(50) }));
    s.add(message('old', 1, 'agent', { at: at(5), body: 'old one' }));
    s.outbox.push({
      cid: 'k',
      conv: 'new',
      kind: 'text',
      body: 'hi',
      attachments: [],
      createdAt: at(60),
      state: 'sending',
    });
    expect(new ChatState(s.src).timeline().map((i) => i.key)).toEqual(['old:1', 'new:1', 'cid:k']);
  });

  it('shows the chat once there is anything to show', () => {
    const s = source();
    const state = new ChatState(s.src);
    s.convs.set('c1', []); // subscribed, empty
    expect(state.hasMessages()).toBe(false);
    s.add(message('c1', 1));
    expect(state.hasMessages()).toBe(true);
  });
});

describe('read receipts and unread', () => {
  const statuses = (state: ChatState) => state.timeline().map((i) => (i.type === 'message' ? i.status : null));

  it('marks own messages read when the agent has read up to their seq', () => {
    const s = source();
    const state = new ChatState(s.src);
    s.add(message('c1', 1, 'customer'));
    s.add(message('c1', 2, 'customer'));
    expect(state.applyRead({ t: 'read', conv: 'c1', by: 'agent', seq: 1 })).toBe(true);
    expect(state.applyRead({ t: 'read', conv: 'c1', by: 'agent', seq: 1 })).toBe(false);
    expect(statuses(state)).toEqual(['read', 'sent']);
  });

  it('takes an agent reply as having read everything before it', () => {
    const s = source();
    const state = new ChatState(s.src);
    s.add(message('c1', 1, 'customer'));
    s.add(message('c1', 2, 'customer'));
    s.add(message('c1', 3, 'bot')); // a bot's answer proves nothing about the agents
    expect(statuses(state)).toEqual(['sent', 'sent', null]);
    s.add(message('c1', 4, 'agent'));
    s.add(message('c1', 5, 'customer'));
    expect(statuses(state)).toEqual(['read', 'read', null, null, 'sent']);
  });

  it('counts agent and bot messages after what the shopper read or wrote', () => {
    const s = source();
    const state = new ChatState(s.src);
    s.add(message('c1', 1, 'agent'));
    s.add(message('c1', 2, 'customer')); // writing proves 1 was read
    s.add(message('c1', 3, 'agent'));
    s.add(message('c1', 4, 'system'));
    s.add(message('c1', 5, 'bot'));
    expect(state.unreadCount()).toBe(2);
    expect(state.markAllRead()).toEqual([{ conv: 'c1', seq: 5 }]);
    expect(state.markAllRead()).toEqual([]);
    expect(state.unreadCount()).toBe(0);
    s.add(message('c1', 6, 'agent'));
    expect(state.unreadCount()).toBe(1);
    // read in another tab: the server relays the shopper's own read mark
    state.applyRead({ t: 'read', conv: 'c1', by: 'customer', seq: 6 });
    expect(state.unreadCount()).toBe(0);
  });

  it('applies read marks saved by an earlier page, and keeps only those of conversations still here', () => {
    const s = source();
    const state = new ChatState(s.src);
    state.restoreReadMarks({ c1: 2, gone: 9, bad: 'x', neg: -1 });
    expect(state.readMarks()).toEqual({});
    for (const seq of [1, 2, 3]) s.add(message('c1', seq));
    expect(state.unreadCount()).toBe(1);
    expect(state.readMarks()).toEqual({ c1: 2 });
  });
});
