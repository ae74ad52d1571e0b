import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/realtime.ts';
import { ChatState } from './chat-state.ts';

const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, n)).toISOString();

function msg(
  conv: string,
  seq: number,
  from: Message['sender']['type'] = 'agent',
  extra: Partial<Message> = {},
): Message {
  return {
    id: `msg_${conv}_${seq}`,
    conv,
    seq,
    cid: null,
    kind: 'text',
    body: `${from} ${seq}`,
    attachments: [],
    sender: { type: from, id: from === 'customer' ? 'cus_1' : 'usr_1', name: from === 'agent' ? '小王' : null },
    at: at(seq),
    ...extra,
  };
}

const ack = (cid: string, conv: string, seq: number) => ({
  t: 'ack' as const,
  cid,
  conv,
  id: `msg_${conv}_${seq}`,
  seq,
  at: at(seq),
});
const bodies = (s: ChatState) =>
  s.timeline().map((i) => (i.type === 'message' ? `${i.message.seq}:${i.message.body}` : `pending:${i.entry.body}`));

describe('messages: order and dedupe', () => {
  it('renders in seq order whatever the arrival order, and drops seqs it already holds', () => {
    const s = new ChatState();
    expect(s.applyMessage(msg('c1', 2))).toBe(true);
    expect(s.applyMessage(msg('c1', 1))).toBe(true);
    expect(s.applyMessage(msg('c1', 3))).toBe(true);
    // a replay after reconnect that overlaps what we have
    expect(s.applyMessage(msg('c1', 2))).toBe(false);
    expect(s.applyMessage(msg('c1', 3))).toBe(false);
    expect(bodies(s)).toEqual(['1:agent 1', '2:agent 2', '3:agent 3']);
  });

  it('resumes after the highest seq delivered by msg or synced, including seqs the shopper never sees', () => {
    const s = new ChatState();
    s.setActive('c1');
    expect(s.subs()).toEqual({ c1: 0 });
    s.applyMessage(msg('c1', 1));
    s.applyMessage(msg('c1', 2));
    expect(s.subs()).toEqual({ c1: 2 });
    // seq 3 was an agent's internal note: the replay ends at 3 although we only got 2
    s.applySynced('c1', 3);
    expect(s.subs()).toEqual({ c1: 3 });
    s.applySynced('c1', 1); // a stale synced never moves it back
    expect(s.subs()).toEqual({ c1: 3 });
  });

  it('orders conversations by their first message', () => {
    const s = new ChatState();
    s.applyMessage(msg('new', 1, 'agent', { at: at(50) }));
    s.applyMessage(msg('old', 1, 'agent', { at: at(5), body: 'old one' }));
    expect(s.timeline().map((i) => i.key)).toEqual(['old:1', 'new:1']);
  });
});

describe('outbox: acks, resend with the same cid, conversation start', () => {
  it('sends the first message without conv, holds the rest until the ack names the conversation', () => {
    const s = new ChatState();
    s.enqueue({ cid: 'a', kind: 'text', body: 'hi' }, at(1));
    s.enqueue({ cid: 'b', kind: 'text', body: 'anyone?' }, at(2));
    expect(s.takeSendable()).toEqual([{ t: 'send', cid: 'a', kind: 'text', body: 'hi' }]);
    expect(s.takeSendable()).toEqual([]); // 'b' waits, 'a' is not written twice on one socket
    expect(s.applyAck(ack('a', 'c9', 1), 'cus_1')).toBe(true);
    expect(s.activeConv).toBe('c9');
    expect(s.takeSendable()).toEqual([{ t: 'send', cid: 'b', conv: 'c9', kind: 'text', body: 'anyone?' }]);
    expect(bodies(s)).toEqual(['1:hi', 'pending:anyone?']);
  });

  it('resends every unacked message with its original cid after a reconnect, once per socket', () => {
    const s = new ChatState();
    s.setActive('c1');
    s.enqueue({ cid: 'x1', kind: 'text', body: 'one' }, at(1));
    s.enqueue({ cid: 'x2', kind: 'text', body: 'two' }, at(2));
    expect(s.takeSendable().map((f) => f.cid)).toEqual(['x1', 'x2']);
    s.applyAck(ack('x1', 'c1', 5), 'cus_1');
    s.resetSocket(); // the connection dropped before x2 was acked
    expect(s.takeSendable()).toEqual([{ t: 'send', cid: 'x2', conv: 'c1', kind: 'text', body: 'two' }]);
    expect(s.takeSendable()).toEqual([]);
  });

  it('shows an acked message once, whether the echo comes before the ack, after it, or in a replay', () => {
    for (const order of ['ack-first', 'echo-first'] as const) {
      const s = new ChatState();
      s.setActive('c1');
      s.enqueue({ cid: 'k', kind: 'text', body: 'where is my parcel' }, at(1));
      s.takeSendable();
      const echo = msg('c1', 4, 'customer', { cid: 'k', body: 'where is my parcel' });
      if (order === 'ack-first') {
        s.applyAck(ack('k', 'c1', 4), 'cus_1');
        expect(s.applyMessage(echo)).toBe(false);
      } else {
        expect(s.applyMessage(echo)).toBe(true);
        s.applyAck(ack('k', 'c1', 4), 'cus_1'); // acked again (duplicate: true) after a resend
      }
      s.applyMessage(echo); // and replayed once more after a reconnect
      expect(bodies(s)).toEqual(['4:where is my parcel']);
      expect(s.pending()).toEqual([]);
    }
  });

  it('does not let an ack move the resume point past an agent message still in flight', () => {
    const s = new ChatState();
    s.setActive('c1');
    s.applyMessage(msg('c1', 5));
    s.enqueue({ cid: 'q', kind: 'text', body: 'ok' }, at(7));
    s.takeSendable();
    s.applyAck(ack('q', 'c1', 7), 'cus_1');
    expect(s.subs()).toEqual({ c1: 5 }); // seq 6 (agent) would be replayed, not skipped
    s.applyMessage(msg('c1', 6));
    expect(bodies(s)).toEqual(['5:agent 5', '6:agent 6', '7:ok']);
  });

  it('parks a refused send and resends it only when retried', () => {
    const s = new ChatState();
    s.setActive('c1');
    s.enqueue(
      {
        cid: 'bad',
        kind: 'file',
        body: '',
        attachments: [{ id: 'att_1', name: 'a.pdf', mime: 'application/pdf', size: 10, url: '/u/a' }],
      },
      at(1),
    );
    expect(s.takeSendable()).toEqual([
      { t: 'send', cid: 'bad', conv: 'c1', kind: 'file', body: '', attachments: [{ id: 'att_1' }] },
    ]);
    expect(s.failSend('bad', 'attachment not found')).toBe(true);
    s.resetSocket();
    expect(s.takeSendable()).toEqual([]);
    expect(s.pending()[0].failed).toBe('attachment not found');
    expect(s.retry('bad')).toBe(true);
    expect(s.takeSendable().map((f) => f.cid)).toEqual(['bad']);
    expect(s.discard('bad')).toBe(true);
    expect(s.pending()).toEqual([]);
  });

  it('restores a saved outbox (a reload in the same tab) and ignores junk', () => {
    const s = new ChatState();
    const saved = JSON.parse(
      JSON.stringify([
        { cid: 'r1', conv: null, kind: 'text', body: 'saved', attachments: [], createdAt: at(1), failed: null },
        { cid: 5, body: 'junk' },
        null,
        { cid: 'r2', kind: 'exe', body: '' },
      ]),
    );
    s.restoreOutbox(saved);
    s.restoreOutbox(saved); // twice: no duplicates
    s.restoreOutbox('nonsense');
    expect(s.pending().map((e) => e.cid)).toEqual(['r1']);
    s.setActive('c3'); // the session names the conversation the lost ack would have
    expect(s.takeSendable()).toEqual([{ t: 'send', cid: 'r1', conv: 'c3', kind: 'text', body: 'saved' }]);
  });
});

describe('welcome', () => {
  it('subscribes to conversations the server knows but hello did not name', () => {
    const s = new ChatState();
    s.setActive('c1');
    s.applyMessage(msg('c1', 3));
    const hello = s.subs();
    expect(s.welcome(['c0', 'c1'], hello)).toEqual([{ conv: 'c0', lastSeq: 0 }]);
    expect(s.activeConv).toBe('c1');
  });

  it('picks the latest conversation as active when the session had none', () => {
    const s = new ChatState();
    expect(s.welcome(['c0', 'c2'], {})).toHaveLength(2);
    expect(s.activeConv).toBe('c2');
  });
});

describe('read receipts and unread', () => {
  it('marks own messages read when the agent has read up to their seq', () => {
    const s = new ChatState();
    s.applyMessage(msg('c1', 1, 'customer'));
    s.applyMessage(msg('c1', 2, 'customer'));
    expect(s.applyRead({ t: 'read', conv: 'c1', by: 'agent', seq: 1 })).toBe(true);
    expect(s.applyRead({ t: 'read', conv: 'c1', by: 'agent', seq: 1 })).toBe(false);
    expect(s.timeline().map((i) => (i.type === 'message' ? i.status : null))).toEqual(['read', 'sent']);
  });

  it('takes an agent reply as having read everything before it', () => {
    const s = new ChatState();
    s.applyMessage(msg('c1', 1, 'customer'));
    s.applyMessage(msg('c1', 2, 'customer'));
    s.applyMessage(msg('c1', 3, 'bot')); // a bot's answer proves nothing about the agents
    expect(s.timeline().map((i) => (i.type === 'message' ? i.status : null))).toEqual(['sent', 'sent', null]);
    s.applyMessage(msg('c1', 4, 'agent'));
    s.applyMessage(msg('c1', 5, 'customer'));
    expect(s.timeline().map((i) => (i.type === 'message' ? i.status : null))).toEqual([
      'read',
      'read',
      null,
      null,
      'sent',
    ]);
  });

  it('counts agent and bot messages after what the shopper read or wrote', () => {
    const s = new ChatState();
    s.applyMessage(msg('c1', 1, 'agent'));
    s.applyMessage(msg('c1', 2, 'customer')); // writing proves 1 was read
    s.applyMessage(msg('c1', 3, 'agent'));
    s.applyMessage(msg('c1', 4, 'system'));
    s.applyMessage(msg('c1', 5, 'bot'));
    expect(s.unreadCount()).toBe(2);
    expect(s.markAllRead()).toEqual([{ conv: 'c1', seq: 5 }]);
    expect(s.markAllRead()).toEqual([]);
    expect(s.unreadCount()).toBe(0);
    s.applyMessage(msg('c1', 6, 'agent'));
    expect(s.unreadCount()).toBe(1);
    // read in another tab: the server relays the shopper's own read mark
    s.applyRead({ t: 'read', conv: 'c1', by: 'customer', seq: 6 });
    expect(s.unreadCount()).toBe(0);
  });

  it('applies read marks saved by an earlier page only to conversations the session names', () => {
    const s = new ChatState();
    s.restoreReadMarks({ c1: 2, gone: 9, bad: 'x' });
    expect(s.subs()).toEqual({});
    s.setActive('c1');
    s.applyMessage(msg('c1', 1));
    s.applyMessage(msg('c1', 2));
    s.applyMessage(msg('c1', 3));
    expect(s.unreadCount()).toBe(1);
    expect(s.readMarks()).toEqual({ c1: 2 });
  });
});
