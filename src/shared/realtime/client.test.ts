import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ack, clientHarness as setup, message, welcome } from './testing.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ChatClient: subscribe, resume, dedupe', () => {
  it('says hello with inbox updates, drops duplicates and resumes from the highest seq after a reconnect', () => {
    const t = setup('agent', { inboxUpdates: true });
    t.client.subscribe('cnv_1'); // before the socket is open: goes into the hello
    t.client.start();
    t.last().open();
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: { cnv_1: 0 }, inboxUpdates: true });
    t.last().push(welcome('agent'));
    expect(t.statuses).toEqual(['connecting', 'open']);

    for (const seq of [1, 2, 2, 1]) t.last().push({ t: 'msg', m: message('cnv_1', seq) }); // live and replayed
    t.last().push({ t: 'synced', conv: 'cnv_1', seq: 2 });
    expect(t.added.map((m) => m.seq)).toEqual([1, 2]);
    expect(t.client.isSynced('cnv_1')).toBe(true);

    t.last().drop();
    expect(t.client.status).toBe('waiting');
    vi.advanceTimersByTime(1000);
    expect(t.sockets).toHaveLength(2);
    t.last().open();
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: { cnv_1: 2 }, inboxUpdates: true });
  });

  it('subscribes and unsubscribes on an open socket, from what it already holds, and stops for good', () => {
    const t = setup('agent');
    const socket = t.connect();
    t.client.subscribe('cnv_9');
    expect(socket.sent.at(-1)).toEqual({ t: 'sub', conv: 'cnv_9', lastSeq: 0 });
    socket.push({ t: 'msg', m: message('cnv_9', 1) });
    socket.push({ t: 'msg', m: message('cnv_9', 2) });
    socket.push({ t: 'synced', conv: 'cnv_9', seq: 2 });
    t.client.unsubscribe('cnv_9');
    expect(socket.sent.at(-1)).toEqual({ t: 'unsub', conv: 'cnv_9' });
    t.client.subscribe('cnv_9');
    expect(socket.sent.at(-1)).toEqual({ t: 'sub', conv: 'cnv_9', lastSeq: 2 });
    t.client.stop();
    expect(t.client.status).toBe('idle');
    vi.advanceTimersByTime(120_000);
    expect(t.sockets).toHaveLength(1);
  });

  it('a subscription made during the handshake goes out with the welcome', () => {
    const t = setup('agent');
    t.client.start();
    t.last().open(); // hello sent without it
    t.client.subscribe('cnv_3');
    t.last().push(welcome('agent'));
    expect(t.last().sent).toEqual([
      { t: 'hello', subs: {} },
      { t: 'sub', conv: 'cnv_3', lastSeq: 0 },
    ]);
  });

  it("takes a shopper's conversations from the welcome: the server subscribes them, the latest gets new messages", () => {
    const t = setup('customer');
    const socket = t.connect(['c0', 'c2']);
    expect(socket.sent).toEqual([{ t: 'hello', subs: {} }]); // no `sub`: the hello already covered them
    expect(t.client.defaultConversation).toBe('c2');
    socket.push({ t: 'msg', m: message('c0', 1) });
    socket.push({ t: 'synced', conv: 'c0', seq: 1 });
    socket.push({ t: 'synced', conv: 'c2', seq: 0 });
    socket.drop();
    t.connect(['c0', 'c2']);
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: { c0: 1, c2: 0 } });
    expect(t.client.conversations()).toEqual(['c0', 'c2']);
  });

  it('resumes a shopper after seqs they never see (notes) that `synced` covers', () => {
    const t = setup('customer');
    const socket = t.connect(['c1']);
    socket.push({ t: 'msg', m: message('c1', 1) });
    socket.push({ t: 'msg', m: message('c1', 2) });
    socket.push({ t: 'synced', conv: 'c1', seq: 3 }); // seq 3 was an agent's internal note
    socket.push({ t: 'msg', m: message('c1', 5) }); // seq 4 another note: today's server does not say (no `prev`)
    expect(socket.frames('sub')).toEqual([]); // a shopper's gaps are normal without `prev`
    expect(t.client.resumeSeq('c1')).toBe(5);
  });
});

describe('ChatClient: outbox', () => {
  it('keeps unacked sends and resends them with the same cid after reconnecting', () => {
    const t = setup('agent');
    t.client.subscribe('cnv_1');
    let socket = t.connect();
    socket.push({ t: 'synced', conv: 'cnv_1', seq: 0 });
    const first = t.client.send({ conv: 'cnv_1', kind: 'text', body: 'hello' });
    expect(socket.sent.at(-1)).toEqual({ t: 'send', cid: first.cid, conv: 'cnv_1', kind: 'text', body: 'hello' });

    socket.drop();
    const second = t.client.send({ conv: 'cnv_1', kind: 'note', body: 'internal' }); // while offline
    expect(t.client.pending().map((e) => e.cid)).toEqual([first.cid, second.cid]);

    socket = t.connect();
    expect(socket.frames('send').map((f) => f.cid)).toEqual([first.cid, second.cid]);
    socket.push(ack(first.cid, 'cnv_1', 1, { duplicate: true }));
    expect(t.client.entry(first.cid)).toBeUndefined();
    expect(t.bodies('cnv_1')).toEqual(['1:hello']);

    socket.push({ t: 'error', code: 'not_stored', message: 'the message was not stored', cid: second.cid });
    expect(t.client.entry(second.cid)).toMatchObject({ state: 'failed', code: 'not_stored' });
    socket.drop();
    socket = t.connect();
    expect(socket.frames('send')).toEqual([]); // parked until retried
    expect(t.client.retry(second.cid)).toBe(true);
    expect(t.client.retry(second.cid)).toBe(false);
    expect(socket.sent.at(-1)).toMatchObject({ t: 'send', cid: second.cid });
    expect(t.client.discard(second.cid)).toBe(true);
    expect(t.client.pending()).toEqual([]);
  });

  it('sends the first message without conv, holds the rest until the ack names the conversation', () => {
    const t = setup('customer');
    const socket = t.connect([]);
    const a = t.client.send({ conv: null, kind: 'text', body: 'hi' });
    const b = t.client.send({ conv: null, kind: 'text', body: 'anyone?' });
    expect(socket.frames('send')).toEqual([{ t: 'send', cid: a.cid, kind: 'text', body: 'hi' }]);
    expect(t.client.pending(null)).toHaveLength(2);
    socket.push(ack(a.cid, 'c9', 1));
    expect(t.client.defaultConversation).toBe('c9');
    expect(socket.frames('send').slice(1)).toEqual([
      { t: 'send', cid: b.cid, conv: 'c9', kind: 'text', body: 'anyone?' },
    ]);
    expect(t.bodies('c9')).toEqual(['1:hi']);
    expect(t.client.pending('c9').map((e) => e.body)).toEqual(['anyone?']);
    socket.push({ t: 'msg', m: message('c9', 2) }); // the server subscribed the shopper to it
    socket.drop();
    t.connect(['c9']);
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: { c9: 2 } });
  });

  it('a refused first message does not hold back the ones after it', () => {
    const t = setup('customer');
    const socket = t.connect([]);
    const a = t.client.send({ conv: null, kind: 'file', body: '' });
    const b = t.client.send({ conv: null, kind: 'text', body: 'hello?' });
    socket.push({ t: 'error', code: 'invalid_frame', message: 'attachments: required', cid: a.cid });
    expect(socket.frames('send').map((f) => f.cid)).toEqual([a.cid, b.cid]);
    expect(t.errors).toEqual(['invalid_frame']);
  });

  it('resends after a drop, and the replay fills the gap once', () => {
    const t = setup('customer');
    t.client.assignConversation('c1'); // from the widget session
    let socket = t.connect(['c1']);
    socket.push({ t: 'msg', m: message('c1', 3) });
    socket.push({ t: 'synced', conv: 'c1', seq: 3 });
    const sent = t.client.send({ conv: null, kind: 'text', body: '还在吗' });
    expect(socket.sent.at(-1)).toEqual({ t: 'send', cid: sent.cid, conv: 'c1', kind: 'text', body: '还在吗' });
    socket.drop(); // the ack is lost with the connection
    socket = t.connect(['c1']);
    expect(socket.sent).toEqual([
      { t: 'hello', subs: { c1: 3 } },
      { t: 'send', cid: sent.cid, conv: 'c1', kind: 'text', body: '还在吗' },
    ]);
    // the server had stored it: the replay brings it, and the resend is acked as a duplicate
    socket.push({ t: 'msg', m: message('c1', 4, 'customer', { cid: sent.cid, body: '还在吗' }) });
    socket.push({ t: 'synced', conv: 'c1', seq: 4 });
    socket.push(ack(sent.cid, 'c1', 4, { duplicate: true }));
    expect(t.bodies('c1')).toEqual(['3:agent 3', '4:还在吗']);
    expect(t.client.pending()).toEqual([]);
  });

  it('restores a saved outbox and sends it into the conversation the session names', () => {
    const t = setup('customer');
    t.client.restoreOutbox([
      { cid: 'r1', conv: null, kind: 'text', body: 'saved', attachments: [], createdAt: '2025-01-01T00:00:00Z' },
    ]);
    t.client.assignConversation('c3');
    const socket = t.connect(['c3']);
    expect(socket.frames('send')).toEqual([{ t: 'send', cid: 'r1', conv: 'c3', kind: 'text', body: 'saved' }]);
  });
});
