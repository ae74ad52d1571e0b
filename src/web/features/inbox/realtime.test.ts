import { describe, expect, it } from 'vitest';
import type { ClientFrame, Message, ServerFrame } from '../../../shared/realtime.ts';
import {
  backoffDelay,
  backoffMaxMs,
  backoffMinMs,
  ChatSocket,
  insertMessage,
  Outbox,
  SeqTracker,
  sendFrame,
  socketUrl,
  type ConnectionStatus,
  type SocketLike,
} from './realtime.ts';

const msg = (seq: number, extra: Partial<Message> = {}): Message => ({
  id: `msg_${seq}`,
  conv: 'cnv_1',
  seq,
  cid: null,
  kind: 'text',
  body: `m${seq}`,
  attachments: [],
  sender: { type: 'customer', id: 'cus_1', name: null },
  at: new Date(0).toISOString(),
  ...extra,
});

describe('backoffDelay', () => {
  it('grows from 0.5 s to 30 s and stays within the jitter band', () => {
    expect(backoffDelay(0, () => 0)).toBe(backoffMinMs);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(50, () => 1)).toBe(backoffMaxMs);
    expect(backoffDelay(50, () => 0)).toBe(backoffMaxMs / 2);
    for (let a = 0; a < 30; a++) {
      const d = backoffDelay(a);
      expect(d).toBeGreaterThanOrEqual(backoffMinMs);
      expect(d).toBeLessThanOrEqual(backoffMaxMs);
    }
  });

  it('tolerates a broken random source and negative attempts', () => {
    expect(backoffDelay(-3, () => 5)).toBe(500);
    expect(backoffDelay(2, () => -1)).toBe(1000);
  });
});

describe('SeqTracker', () => {
  it('accepts only seqs above the highest seen, per conversation', () => {
    const s = new SeqTracker();
    expect(s.highest('a')).toBe(0);
    expect(s.accept('a', 1)).toBe(true);
    expect(s.accept('a', 1)).toBe(false);
    expect(s.accept('a', 3)).toBe(true); // gaps are normal (notes, other subscribers)
    expect(s.accept('a', 2)).toBe(false);
    expect(s.accept('b', 2)).toBe(true);
    expect(s.highest('a')).toBe(3);
    expect(s.highest('b')).toBe(2);
  });
});

describe('insertMessage', () => {
  it('appends, inserts in seq order and ignores a seq already present', () => {
    let list = insertMessage([], msg(2));
    list = insertMessage(list, msg(5));
    list = insertMessage(list, msg(3));
    list = insertMessage(list, msg(1));
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3, 5]);
    const same = insertMessage(list, msg(3, { body: 'dup' }));
    expect(same).toBe(list);
  });
});

describe('Outbox', () => {
  const entry = (cid: string, conv = 'cnv_1') => ({
    cid,
    conv,
    kind: 'text' as const,
    body: cid,
    attachments: [],
    createdAt: 0,
  });

  it('keeps order, acks, fails, retries and settles', () => {
    const o = new Outbox();
    o.add(entry('a'));
    o.add(entry('b'));
    o.add(entry('c', 'cnv_2'));
    expect(o.unsent().map((e) => e.cid)).toEqual(['a', 'b', 'c']);

    o.ack('a', 7);
    expect(o.get('a')?.state).toBe('acked');
    expect(o.unsent().map((e) => e.cid)).toEqual(['b', 'c']);

    o.fail('b', 'not_stored');
    expect(o.get('b')).toMatchObject({ state: 'failed', error: 'not_stored' });
    expect(o.fail('a', 'late')).toBeUndefined(); // an acked message cannot fail any more
    expect(o.unsent().map((e) => e.cid)).toEqual(['c']);

    expect(o.retry('b')?.state).toBe('sending');
    expect(o.retry('b')).toBeUndefined(); // only failed ones
    expect(o.unsent().map((e) => e.cid)).toEqual(['b', 'c']);

    expect(o.settle('cnv_1', 6)).toBe(false);
    expect(o.settle('cnv_1', 7)).toBe(true);
    expect(o.has('a')).toBe(false);
    expect(o.forConversation('cnv_1').map((e) => e.cid)).toEqual(['b']);
  });

  it('builds send frames with attachment ids only', () => {
    const frame = sendFrame({
      cid: 'x',
      conv: 'c',
      kind: 'image',
      body: '',
      attachments: [{ id: 'att_1', name: 'a.png', mime: 'image/png', size: 3, url: '/u' }],
    });
    expect(frame).toEqual({ t: 'send', cid: 'x', conv: 'c', kind: 'image', body: '', attachments: [{ id: 'att_1' }] });
    expect(sendFrame({ cid: 'y', conv: 'c', kind: 'text', body: 'hi', attachments: [] })).toEqual({
      t: 'send',
      cid: 'y',
      conv: 'c',
      kind: 'text',
      body: 'hi',
    });
  });
});

describe('socketUrl', () => {
  it('follows the page scheme', () => {
    expect(socketUrl({ protocol: 'https:', host: 'kefu.example.com' })).toBe('wss://kefu.example.com/ws');
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:3100' })).toBe('ws://127.0.0.1:3100/ws');
  });
});

// ---- the socket lifecycle with a fake WebSocket and manual timers ----

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientFrame[] = [];
  closed: number | undefined;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close(code?: number) {
    this.closed = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: ServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const statuses: ConnectionStatus[] = [];
  const messages: Message[] = [];
  const client = new ChatSocket(
    { status: (s) => statuses.push(s), message: (m) => messages.push(m) },
    {
      url: () => 'ws://test/ws',
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      setTimeout: (fn, ms) => {
        const id = nextTimer++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (id) => {
        timers.delete(id as number);
      },
      random: () => 0.5,
    },
  );
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  const last = () => sockets[sockets.length - 1];
  const welcome = (s = last()) =>
    s.receive({ t: 'welcome', role: 'agent', userId: 'usr_1', customerId: null, heartbeatMs: 1000 });
  return { client, sockets, statuses, messages, advance, last, welcome };
}

describe('ChatSocket', () => {
  it('says hello with inbox updates, drops duplicates and resumes from the highest seq after a reconnect', () => {
    const h = harness();
    h.client.start();
    h.client.subscribe('cnv_1'); // before the socket is open: goes into the hello
    h.last().open();
    expect(h.last().sent[0]).toEqual({ t: 'hello', subs: { cnv_1: 0 }, inboxUpdates: true });
    h.welcome();
    expect(h.statuses).toEqual(['connecting', 'online']);

    h.last().receive({ t: 'msg', m: msg(1) });
    h.last().receive({ t: 'msg', m: msg(2) });
    h.last().receive({ t: 'msg', m: msg(2) }); // live and replayed
    h.last().receive({ t: 'msg', m: msg(1) });
    expect(h.messages.map((m) => m.seq)).toEqual([1, 2]);

    h.last().drop();
    expect(h.client.status).toBe('reconnecting');
    h.advance(2000);
    expect(h.sockets).toHaveLength(2);
    h.last().open();
    expect(h.last().sent[0]).toEqual({ t: 'hello', subs: { cnv_1: 2 }, inboxUpdates: true });
  });

  it('keeps unacked sends and resends them with the same cid after reconnecting', () => {
    const h = harness();
    h.client.start();
    h.client.subscribe('cnv_1');
    h.last().open();
    h.welcome();
    const first = h.client.send({ conv: 'cnv_1', kind: 'text', body: 'hello', attachments: [] });
    expect(h.last().sent.at(-1)).toMatchObject({ t: 'send', cid: first.cid, body: 'hello' });

    h.last().drop();
    const second = h.client.send({ conv: 'cnv_1', kind: 'note', body: 'internal', attachments: [] }); // while offline
    expect(h.client.outbox.unsent().map((e) => e.cid)).toEqual([first.cid, second.cid]);

    h.advance(5000);
    h.last().open();
    h.welcome();
    const resent = h.last().sent.filter((f) => f.t === 'send');
    expect(resent.map((f) => (f as { cid: string }).cid)).toEqual([first.cid, second.cid]);

    h.last().receive({ t: 'ack', cid: first.cid, conv: 'cnv_1', id: 'msg_a', seq: 1, at: '', duplicate: true });
    expect(h.client.outbox.get(first.cid)?.state).toBe('acked');
    h.last().receive({ t: 'msg', m: msg(1, { cid: first.cid, sender: { type: 'agent', id: 'usr_1', name: 'A' } }) });
    expect(h.client.outbox.has(first.cid)).toBe(false);

    h.last().receive({ t: 'error', code: 'not_stored', message: 'x', cid: second.cid });
    expect(h.client.outbox.get(second.cid)?.state).toBe('failed');
    expect(h.client.retry(second.cid)).toBe(true);
    expect(h.last().sent.at(-1)).toMatchObject({ t: 'send', cid: second.cid });
  });

  it('an ack after the message itself settles the entry', () => {
    const h = harness();
    h.client.start();
    h.client.subscribe('cnv_1');
    h.last().open();
    h.welcome();
    const sent = h.client.send({ conv: 'cnv_1', kind: 'text', body: 'x', attachments: [] });
    h.last().receive({ t: 'msg', m: msg(4, { cid: 'someone-else' }) });
    h.last().receive({ t: 'msg', m: msg(5, { cid: sent.cid, sender: { type: 'agent', id: 'usr_1', name: 'A' } }) });
    expect(h.client.outbox.has(sent.cid)).toBe(false);
    h.last().receive({ t: 'ack', cid: sent.cid, conv: 'cnv_1', id: 'msg_5', seq: 5, at: '' });
    expect(h.client.outbox.has(sent.cid)).toBe(false);
  });

  it('pings every heartbeat and reconnects when nothing arrives for two', () => {
    const h = harness();
    h.client.start();
    h.last().open();
    h.welcome();
    h.advance(1000);
    expect(h.last().sent.at(-1)).toEqual({ t: 'ping' });
    h.last().receive({ t: 'pong' });
    h.advance(1999);
    expect(h.sockets).toHaveLength(1);
    h.advance(1);
    expect(h.sockets[0].closed).toBe(4000);
    expect(h.client.status).toBe('reconnecting');
  });

  it('subscribes and unsubscribes on an open socket, and stops for good', () => {
    const h = harness();
    h.client.start();
    h.last().open();
    h.welcome();
    h.last().receive({ t: 'msg', m: msg(3, { conv: 'cnv_9' }) }); // e.g. from an earlier subscription
    h.client.subscribe('cnv_9');
    expect(h.last().sent.at(-1)).toEqual({ t: 'sub', conv: 'cnv_9', lastSeq: 3 });
    h.client.unsubscribe('cnv_9');
    expect(h.last().sent.at(-1)).toEqual({ t: 'unsub', conv: 'cnv_9' });
    h.client.stop();
    expect(h.client.status).toBe('stopped');
    h.advance(60_000);
    expect(h.sockets).toHaveLength(1);
  });
});
