import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ack, clientHarness as setup, message } from './testing.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ChatClient: no echo (planned) — the ack materialises the sender’s own message', () => {
  it('shows own message from the ack, with the sender filled in, and keeps one copy when an echo still comes', () => {
    for (const order of ['ack-first', 'echo-first', 'ack-only'] as const) {
      const t = setup('agent');
      t.client.subscribe('cnv_1');
      const socket = t.connect();
      socket.push({ t: 'msg', m: message('cnv_1', 1, 'customer') });
      socket.push({ t: 'synced', conv: 'cnv_1', seq: 1 });
      const sent = t.client.send({ conv: 'cnv_1', kind: 'text', body: '您好' });
      const echo = message('cnv_1', 2, 'agent', { cid: sent.cid, body: '您好' });
      if (order === 'echo-first') socket.push({ t: 'msg', m: echo });
      socket.push(ack(sent.cid, 'cnv_1', 2));
      if (order === 'ack-first') socket.push({ t: 'msg', m: echo });
      expect(t.bodies('cnv_1')).toEqual(['1:customer 1', '2:您好']);
      expect(t.client.messages('cnv_1')[1].sender).toEqual({ type: 'agent', id: 'usr_1', name: '小王' });
      expect(t.added.map((m) => m.seq)).toEqual([1, 2]);
      expect(t.client.pending()).toEqual([]);
      // the next message from the shopper follows on without a replay
      socket.push({ t: 'msg', m: message('cnv_1', 3, 'customer') });
      expect(socket.frames('sub')).toEqual([]);
      expect(t.client.resumeSeq('cnv_1')).toBe(3);
    }
  });

  it('does not let an ack move the resume point past a message still in flight', () => {
    const t = setup('customer');
    const socket = t.connect(['c1']);
    socket.push({ t: 'msg', m: message('c1', 5) });
    socket.push({ t: 'synced', conv: 'c1', seq: 5 });
    const sent = t.client.send({ conv: null, kind: 'text', body: 'ok' });
    socket.push(ack(sent.cid, 'c1', 7));
    expect(t.client.resumeSeq('c1')).toBe(5); // seq 6 (the agent's) would be replayed, not skipped
    socket.push({ t: 'msg', m: message('c1', 6) });
    expect(t.bodies('c1')).toEqual(['5:agent 5', '6:agent 6', '7:ok']);
  });

  it("the console's HTTP fallback acknowledges the same way", () => {
    const t = setup('agent');
    t.client.subscribe('cnv_1');
    const sent = t.client.send({ conv: 'cnv_1', kind: 'text', body: 'over http' });
    expect(t.client.online).toBe(false);
    t.client.acked({ cid: sent.cid, conv: 'cnv_1', id: 'msg_x', seq: 4, at: '2025-01-01T00:00:00Z' });
    expect(t.client.pending()).toEqual([]);
    expect(t.bodies('cnv_1')).toEqual(['4:over http']);
    const socket = t.connect();
    expect(socket.frames('send')).toEqual([]);
  });
});

describe('ChatClient: gap detection', () => {
  it('asks for a replay when an agent gets a message after a hole, once, and renders in seq order', () => {
    const t = setup('agent');
    t.client.subscribe('cnv_1');
    const socket = t.connect();
    socket.push({ t: 'msg', m: message('cnv_1', 1) });
    socket.push({ t: 'synced', conv: 'cnv_1', seq: 1 });
    socket.push({ t: 'msg', m: message('cnv_1', 3) }); // seq 2 was lost between nodes
    expect(socket.frames('sub')).toEqual([{ t: 'sub', conv: 'cnv_1', lastSeq: 1 }]);
    socket.push({ t: 'msg', m: message('cnv_1', 4) }); // a replay is already on its way
    expect(socket.frames('sub')).toHaveLength(1);
    socket.push({ t: 'msg', m: message('cnv_1', 2) });
    socket.push({ t: 'msg', m: message('cnv_1', 3) });
    socket.push({ t: 'msg', m: message('cnv_1', 4) });
    socket.push({ t: 'synced', conv: 'cnv_1', seq: 4 });
    expect(t.client.messages('cnv_1').map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(t.client.resumeSeq('cnv_1')).toBe(4);
    socket.push({ t: 'msg', m: message('cnv_1', 5) });
    expect(socket.frames('sub')).toHaveLength(1);
  });

  it("uses the server's `prev` (planned) to tell a shopper's note gap from a lost message", () => {
    const t = setup('customer');
    const socket = t.connect(['c1']);
    socket.push({ t: 'msg', m: message('c1', 1), prev: 0 });
    socket.push({ t: 'synced', conv: 'c1', seq: 1 });
    socket.push({ t: 'msg', m: message('c1', 3), prev: 1 }); // seq 2 is a note: nothing missing
    expect(socket.frames('sub')).toEqual([]);
    socket.push({ t: 'msg', m: message('c1', 6), prev: 5 }); // seq 5 is visible and did not come
    expect(socket.frames('sub')).toEqual([{ t: 'sub', conv: 'c1', lastSeq: 3 }]);
    expect(t.client.resumeSeq('c1')).toBe(3);
    socket.push({ t: 'msg', m: message('c1', 5), prev: 3 });
    socket.push({ t: 'msg', m: message('c1', 6), prev: 5 });
    socket.push({ t: 'synced', conv: 'c1', seq: 6 });
    expect(t.bodies('c1')).toEqual(['1:agent 1', '3:agent 3', '5:agent 5', '6:agent 6']);
  });
});

describe('ChatClient: refusals (busy, rate_limited, cid_conflict)', () => {
  it('busy: keeps the send, writes it again after retryInMs on the same connection, and holds what follows', () => {
    const t = setup('agent');
    t.client.subscribe('cnv_1');
    const socket = t.connect();
    const a = t.client.send({ conv: 'cnv_1', kind: 'text', body: 'a' });
    socket.push({ t: 'error', code: 'busy', message: 'overloaded', cid: a.cid, retryInMs: 2000 });
    const b = t.client.send({ conv: 'cnv_1', kind: 'text', body: 'b' });
    expect(t.client.entry(a.cid)?.state).toBe('sending');
    expect(socket.frames('send').map((f) => f.cid)).toEqual([a.cid]); // b waits behind a
    vi.advanceTimersByTime(1999);
    expect(socket.frames('send')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(socket.frames('send').map((f) => f.cid)).toEqual([a.cid, a.cid, b.cid]);
    expect(t.sockets).toHaveLength(1);
    expect(t.errors).toEqual([]); // nothing to show
  });

  it('rate_limited without retryInMs: backs off, longer each time', () => {
    const t = setup('customer');
    const socket = t.connect(['c1']);
    const a = t.client.send({ conv: null, kind: 'text', body: 'a' });
    const resends = () => socket.frames('send').length - 1;
    socket.push({ t: 'error', code: 'rate_limited', message: 'slow down', cid: a.cid });
    vi.advanceTimersByTime(500); // first back-off with random() = 0
    expect(resends()).toBe(1);
    socket.push({ t: 'error', code: 'rate_limited', message: 'slow down', cid: a.cid });
    vi.advanceTimersByTime(999);
    expect(resends()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(resends()).toBe(2);
    socket.push(ack(a.cid, 'c1', 1));
    expect(t.client.pending()).toEqual([]);
  });

  it('cid_conflict is final: failed with a clear message, and a retry goes out under a new cid', () => {
    const t = setup('customer');
    const socket = t.connect(['c1']);
    const a = t.client.send({ conv: null, kind: 'text', body: 'a' });
    socket.push({ t: 'error', code: 'cid_conflict', message: 'cid reused', cid: a.cid });
    expect(t.client.entry(a.cid)).toMatchObject({ state: 'failed', code: 'cid_conflict' });
    expect(t.client.entry(a.cid)?.error).toMatch(/already used/);
    vi.advanceTimersByTime(9000); // within a heartbeat: not retried on its own
    expect(socket.frames('send')).toHaveLength(1);
    expect(t.client.retry(a.cid)).toBe(true);
    expect(t.client.entry(a.cid)).toBeUndefined();
    expect(socket.frames('send').at(-1)).toMatchObject({ cid: 'cid-2', body: 'a' });
  });

  it('drops only the subscription a hello error names, and keeps the rest', () => {
    const t = setup('agent');
    for (const conv of ['c1', 'gone', 'c3']) t.client.subscribe(conv);
    let socket = t.connect();
    socket.push({ t: 'synced', conv: 'c1', seq: 0 });
    socket.push({ t: 'error', code: 'not_found', message: 'no such conversation', conv: 'gone' });
    socket.push({ t: 'synced', conv: 'c3', seq: 0 });
    expect(socket.frames('sub')).toEqual([]);
    socket.drop();
    socket = t.connect();
    expect(socket.sent[0]).toEqual({ t: 'hello', subs: { c1: 0, c3: 0 } });
  });

  it("today's server stops a hello at the first bad conversation without naming it: the rest are asked for one by one", () => {
    const t = setup('agent');
    for (const conv of ['c1', 'gone', 'c3']) t.client.subscribe(conv);
    const socket = t.connect();
    socket.push({ t: 'synced', conv: 'c1', seq: 0 });
    socket.push({ t: 'error', code: 'not_found', message: 'no such conversation' });
    expect(socket.frames('sub')).toEqual([
      { t: 'sub', conv: 'gone', lastSeq: 0 },
      { t: 'sub', conv: 'c3', lastSeq: 0 },
    ]);
    socket.push({ t: 'error', code: 'not_found', message: 'no such conversation', conv: 'gone' });
    socket.push({ t: 'synced', conv: 'c3', seq: 0 });
    expect(t.client.isSynced('c3')).toBe(true);
    socket.push({ t: 'error', code: 'not_found', message: 'again' }); // only once per connection
    expect(socket.frames('sub')).toHaveLength(2);
  });

  it('trusts a synced below the seq it asked to resume after (a restored database) for what comes next', () => {
    const t = setup('customer');
    let socket = t.connect(['c1']);
    for (const seq of [56, 57]) socket.push({ t: 'msg', m: message('c1', seq) });
    socket.push({ t: 'synced', conv: 'c1', seq: 57 });
    socket.drop();
    socket = t.connect(['c1']);
    expect(socket.sent[0]).toEqual({ t: 'hello', subs: { c1: 57 } });
    const threadEvents = t.threads.length;
    socket.push({ t: 'synced', conv: 'c1', seq: 41 });
    expect(t.threads.length).toBeGreaterThan(threadEvents); // the view learns that messages went
    expect(t.client.resumeSeq('c1')).toBe(41);
    socket.push({ t: 'msg', m: message('c1', 42, 'agent', { body: 'new 42' }) });
    expect(t.bodies('c1')).toEqual(['42:new 42']);
    socket.drop();
    expect(t.connect(['c1']).sent[0]).toEqual({ t: 'hello', subs: { c1: 42 } });
  });
});
