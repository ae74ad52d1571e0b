import { describe, expect, it } from 'vitest';
import { ConversationLog } from './conversation-log.ts';
import type { Message } from './protocol.ts';
import { message } from './testing.ts';

const seqs = (log: ConversationLog) => log.messages.map((m) => m.seq);
const own = (seq: number, extra: Partial<Message> = {}) => message('c1', seq, 'customer', { cid: `k${seq}`, ...extra });

describe('ConversationLog: order and dedupe', () => {
  it('holds messages in seq order whatever the arrival order, one per seq', () => {
    const log = new ConversationLog('c1');
    expect(log.receive(message('c1', 2), undefined, 'lenient')).toBe('added');
    expect(log.receive(message('c1', 5), undefined, 'lenient')).toBe('added');
    expect(log.receive(message('c1', 3), undefined, 'lenient')).toBe('added');
    expect(log.receive(message('c1', 1), undefined, 'lenient')).toBe('added');
    // a replay after reconnect that overlaps what we have
    const before = log.messages;
    expect(log.receive(message('c1', 3, 'agent', { body: 'dup' }), undefined, 'lenient')).toBe('duplicate');
    expect(log.messages).toBe(before);
    expect(seqs(log)).toEqual([1, 2, 3, 5]);
    expect(log.has(5)).toBe(true);
    expect(log.has(4)).toBe(false);
  });

  it("replaces an own message built from its ack with the server's copy (final URLs), once", () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 1), undefined, 'lenient');
    expect(log.materialise(own(2, { attachments: [] }), undefined, 'lenient')).toBe(true);
    expect(log.materialise(own(2), undefined, 'lenient')).toBe(false);
    const server = own(2, {
      attachments: [{ id: 'att', name: 'a.png', mime: 'image/png', size: 3, url: '/api/uploads/att?sig=x' }],
    });
    expect(log.receive(server, undefined, 'lenient')).toBe('replaced');
    expect(log.messages[1]).toBe(server);
    expect(log.receive(server, undefined, 'lenient')).toBe('duplicate');
    expect(seqs(log)).toEqual([1, 2]);
  });
});

describe('ConversationLog: the resume point', () => {
  it('lenient (a shopper without prev): moves to the highest seq the server sent, gaps included (notes)', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 1), undefined, 'lenient');
    log.receive(message('c1', 2), undefined, 'lenient');
    expect(log.resumeSeq).toBe(2);
    log.receive(message('c1', 4), undefined, 'lenient'); // seq 3 was an internal note
    expect(log.resumeSeq).toBe(4);
    expect(log.gap).toBe(false);
  });

  it('contiguous (an agent): stops at a hole, reports the gap, and moves on once it is filled', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 1), undefined, 'contiguous');
    log.receive(message('c1', 3), undefined, 'contiguous');
    expect(log.resumeSeq).toBe(1);
    expect(log.gap).toBe(true);
    expect(seqs(log)).toEqual([1, 3]); // shown in seq order meanwhile
    log.receive(message('c1', 2), undefined, 'contiguous');
    expect(log.resumeSeq).toBe(3);
    expect(log.gap).toBe(false);
  });

  it('follows `prev` when the server sends it, whatever the policy', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 1), 0, 'contiguous');
    log.receive(message('c1', 3), 1, 'contiguous'); // 2 is a note this shopper may not see
    expect(log.resumeSeq).toBe(3);
    expect(log.gap).toBe(false);
    log.receive(message('c1', 6), 5, 'lenient'); // 5 is visible and missing
    expect(log.resumeSeq).toBe(3);
    expect(log.gap).toBe(true);
    log.receive(message('c1', 5), 3, 'lenient');
    expect(log.resumeSeq).toBe(6);
    expect(log.gap).toBe(false);
  });

  it('never moves over an own message built from an ack, nor counts one beyond a hole as a gap', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 5), undefined, 'lenient');
    log.materialise(own(7), undefined, 'lenient'); // the agent's 6 may still be on its way
    expect(log.resumeSeq).toBe(5);
    expect(log.gap).toBe(false);
    log.receive(message('c1', 6), undefined, 'lenient');
    expect(seqs(log)).toEqual([5, 6, 7]);
    expect(log.resumeSeq).toBe(6); // 7 comes again in the next replay, and is a duplicate then

    const agent = new ConversationLog('c2');
    agent.sync(4, 'contiguous');
    agent.receive(message('c2', 5), undefined, 'contiguous');
    agent.materialise(message('c2', 7, 'agent', { cid: 'x' }), undefined, 'contiguous');
    expect(agent.gap).toBe(false); // the ack overtook seq 6: no replay asked for yet
    agent.receive(message('c2', 8), undefined, 'contiguous');
    expect(agent.gap).toBe(true); // now a message from the server follows the hole
    agent.receive(message('c2', 6), undefined, 'contiguous');
    expect(agent.resumeSeq).toBe(8);
    expect(agent.gap).toBe(false);
  });

  it('synced moves the resume point over seqs this client never sees, and never back in normal operation', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 1), undefined, 'lenient');
    log.receive(message('c1', 2), undefined, 'lenient');
    expect(log.synced).toBe(false);
    expect(log.sync(3, 'lenient')).toBe(false); // seq 3 was an internal note
    expect(log.synced).toBe(true);
    expect(log.resumeSeq).toBe(3);
  });

  it('synced ends a gap: everything up to its seq has been sent', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 1), undefined, 'contiguous');
    log.receive(message('c1', 4), undefined, 'contiguous');
    log.receive(message('c1', 2), undefined, 'contiguous');
    log.receive(message('c1', 3), undefined, 'contiguous');
    log.sync(4, 'contiguous');
    expect(log.resumeSeq).toBe(4);
    expect(log.gap).toBe(false);
  });

  it('trusts a synced below what the server reported before (restored database) and drops what lay beyond it', () => {
    const log = new ConversationLog('c1');
    for (const seq of [55, 56, 57]) log.receive(message('c1', seq), undefined, 'contiguous');
    log.sync(57, 'contiguous');
    expect(log.sync(41, 'contiguous')).toBe(true);
    expect(log.resumeSeq).toBe(41);
    expect(log.messages).toEqual([]);
    // seq 42 is a new message now, not a duplicate of the old 42…57
    expect(log.receive(message('c1', 42, 'agent', { body: 'after the restore' }), undefined, 'contiguous')).toBe(
      'added',
    );
    expect(log.resumeSeq).toBe(42);
    expect(log.receive(message('c1', 56), undefined, 'contiguous')).toBe('added');
  });

  it('an ack that overtook a replay does not look like a restore', () => {
    const log = new ConversationLog('c1');
    log.receive(message('c1', 6), undefined, 'contiguous');
    log.materialise(message('c1', 7, 'agent', { cid: 'x' }), undefined, 'contiguous');
    expect(log.sync(6, 'contiguous')).toBe(false);
    expect(seqs(log)).toEqual([6, 7]);
  });
});
