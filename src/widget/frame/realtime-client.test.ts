import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../../shared/realtime.ts';
import { ChatState } from './chat-state.ts';
import {
  connectTimeoutMs,
  RealtimeClient,
  type ClientStatus,
  type LastClose,
  type SocketLike,
} from './realtime-client.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: any[] = [];
  closedWith: number | undefined | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // server side of the test
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(frame: ServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const welcome = (heartbeatMs = 10_000, conversations: string[] = []): ServerFrame => ({
  t: 'welcome',
  role: 'customer',
  userId: null,
  customerId: 'cus_1',
  conversations,
  heartbeatMs,
});

/** A client wired to a ChatState the way the controller wires it, minus the UI. */
function setup() {
  const sockets: FakeSocket[] = [];
  const statuses: ClientStatus[] = [];
  const closes: Array<LastClose | null> = [];
  const state = new ChatState();
  const frames: ServerFrame[] = [];
  let lastHello: Record<string, number> = {};
  const client = new RealtimeClient(
    {
      url: async (lastClose) => {
        closes.push(lastClose);
        return `ws://kefu.test/ws?widget=tok${closes.length}`;
      },
      hello: () => ({ t: 'hello', subs: (lastHello = state.subs()) }),
      welcome: (w) => {
        state.resetSocket();
        for (const sub of state.welcome(w.conversations, lastHello))
          client.send({ t: 'sub', conv: sub.conv, lastSeq: sub.lastSeq });
        for (const f of state.takeSendable()) client.send(f);
      },
      frame: (f) => {
        frames.push(f);
        if (f.t === 'msg') state.applyMessage(f.m);
        if (f.t === 'synced') state.applySynced(f.conv, f.seq);
        if (f.t === 'ack') {
          state.applyAck(f, 'cus_1');
          for (const s of state.takeSendable()) client.send(s);
        }
      },
      status: (s) => statuses.push(s),
    },
    {
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      random: () => 0,
    },
  );
  const last = () => sockets[sockets.length - 1];
  return { client, state, sockets, statuses, closes, frames, last };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RealtimeClient', () => {
  it('says hello with the seq to resume after, then streams', async () => {
    const t = setup();
    t.state.setActive('c1');
    t.client.start();
    await flush();
    t.last().open();
    expect(t.last().sent).toEqual([{ t: 'hello', subs: { c1: 0 } }]);
    t.last().push(welcome());
    expect(t.client.status).toBe('open');
    t.last().push({
      t: 'msg',
      m: {
        id: 'm1',
        conv: 'c1',
        seq: 1,
        cid: null,
        kind: 'text',
        body: '您好',
        attachments: [],
        sender: { type: 'agent', id: 'u', name: null },
        at: '2025-01-01T00:00:00Z',
      },
    });
    t.last().push({ t: 'synced', conv: 'c1', seq: 1 });
    expect(t.state.subs()).toEqual({ c1: 1 });
  });

  it('does not send anything but hello before the welcome', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.last().open();
    expect(t.client.send({ t: 'ping' })).toBe(false);
    expect(t.last().sent).toHaveLength(1);
  });

  it('pings every heartbeat and reconnects when nothing arrives for two heartbeats', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.last().open();
    t.last().push(welcome(10_000));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.last().sent.at(-1)).toEqual({ t: 'ping' });
    t.last().push({ t: 'pong' }); // alive: the watchdog restarts from here
    await vi.advanceTimersByTimeAsync(19_999);
    expect(t.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.sockets[0].closedWith).toBe(4000);
    expect(t.client.status).toBe('waiting');
    await vi.advanceTimersByTimeAsync(500); // first back-off with random() = 0
    expect(t.sockets).toHaveLength(2);
  });

  it('gives up on a handshake that never completes', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.last().open(); // open, but the welcome never comes
    await vi.advanceTimersByTimeAsync(connectTimeoutMs);
    expect(t.client.status).toBe('waiting');
  });

  it('backs off exponentially while the server is down, and resets after a welcome', async () => {
    const t = setup();
    t.client.start();
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) {
      await flush();
      t.last().drop();
      const before = t.sockets.length;
      let waited = 0;
      while (t.sockets.length === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      gaps.push(waited);
    }
    // random() = 0 takes the low end of each [0.5, 1) window: 1 s · 2^n halved, capped at 30 s halved
    expect(gaps).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect(t.closes.at(-1)).toEqual({ code: 1006, welcomed: false, failuresInARow: 7 });
    await flush();
    t.last().open();
    t.last().push(welcome());
    t.last().drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sockets).toHaveLength(9);
    expect(t.closes.at(-1)).toEqual({ code: 1006, welcomed: true, failuresInARow: 0 });
  });

  it('reconnects at once when nudged (online / tab visible) instead of waiting out the back-off', async () => {
    const t = setup();
    t.client.start();
    for (let i = 0; i < 5; i++) {
      await flush();
      t.last().drop();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    await flush();
    t.last().drop();
    const count = t.sockets.length;
    t.client.nudge();
    await flush();
    expect(t.sockets).toHaveLength(count + 1);
  });

  it('resends unacked messages with the same cid after a drop, and the replay fills the gap once', async () => {
    const t = setup();
    t.state.setActive('c1');
    t.client.start();
    await flush();
    t.last().open();
    t.last().push(welcome(10_000, ['c1']));
    t.last().push({ t: 'synced', conv: 'c1', seq: 3 });
    t.state.enqueue({ cid: 'cid-1', kind: 'text', body: '还在吗' }, '2025-01-01T00:00:00Z');
    for (const f of t.state.takeSendable()) t.client.send(f);
    expect(t.last().sent.at(-1)).toEqual({ t: 'send', cid: 'cid-1', conv: 'c1', kind: 'text', body: '还在吗' });
    t.last().drop(); // the ack is lost with the connection
    await vi.advanceTimersByTimeAsync(500);
    t.last().open();
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: { c1: 3 } });
    t.last().push(welcome(10_000, ['c1']));
    expect(t.last().sent.slice(1)).toEqual([{ t: 'send', cid: 'cid-1', conv: 'c1', kind: 'text', body: '还在吗' }]);
    // the server had stored it: the replay brings it, and the resend is acked as a duplicate
    t.last().push({
      t: 'msg',
      m: {
        id: 'm4',
        conv: 'c1',
        seq: 4,
        cid: 'cid-1',
        kind: 'text',
        body: '还在吗',
        attachments: [],
        sender: { type: 'customer', id: 'cus_1', name: null },
        at: '2025-01-01T00:00:01Z',
      },
    });
    t.last().push({ t: 'synced', conv: 'c1', seq: 4 });
    t.last().push({
      t: 'ack',
      cid: 'cid-1',
      conv: 'c1',
      id: 'm4',
      seq: 4,
      at: '2025-01-01T00:00:01Z',
      duplicate: true,
    });
    expect(t.state.timeline().map((i) => i.key)).toEqual(['c1:4']);
    expect(t.state.pending()).toEqual([]);
  });

  it('ignores late events of a socket it already gave up on', async () => {
    const t = setup();
    t.client.start();
    await flush();
    const old = t.last();
    old.open();
    await vi.advanceTimersByTimeAsync(connectTimeoutMs); // timed out
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sockets).toHaveLength(2);
    old.onmessage?.({ data: JSON.stringify(welcome()) }); // handlers were detached
    expect(t.client.status).toBe('connecting');
  });

  it('stops cleanly', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.last().open();
    t.last().push(welcome());
    t.client.stop();
    expect(t.sockets[0].closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.statuses.at(-1)).toBe('idle');
  });
});
