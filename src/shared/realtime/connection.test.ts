import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection, socketUrl, type ClientStatus, type LastClose } from './connection.ts';
import { connectTimeoutMs, type ServerFrame } from './protocol.ts';
import { fakeDeps, FakeSocket, welcome } from './testing.ts';

/** A connection whose owner records everything; `url` answers asynchronously like the widget's (token refresh). */
function setup(url: 'sync' | 'async' = 'async') {
  const sockets: FakeSocket[] = [];
  const statuses: ClientStatus[] = [];
  const closes: Array<LastClose | null> = [];
  const frames: ServerFrame[] = [];
  const welcomes: ServerFrame[] = [];
  const connection = new Connection(
    {
      url: (lastClose) => {
        closes.push(lastClose);
        const u = `ws://kefu.test/ws?widget=tok${closes.length}`;
        return url === 'sync' ? u : Promise.resolve(u);
      },
      hello: () => ({ t: 'hello', subs: { c1: 0 } }),
      welcome: (w) => welcomes.push(w),
      frame: (f) => frames.push(f),
      status: (s) => statuses.push(s),
    },
    fakeDeps(sockets),
  );
  const last = () => sockets[sockets.length - 1];
  return { connection, sockets, statuses, closes, frames, welcomes, last };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Connection', () => {
  it('says hello when the socket opens and hands frames to its owner after the welcome', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    expect(t.last().sent).toEqual([{ t: 'hello', subs: { c1: 0 } }]);
    t.last().push(welcome('customer', ['c1']));
    expect(t.connection.status).toBe('open');
    expect(t.welcomes).toHaveLength(1);
    t.last().push({ t: 'synced', conv: 'c1', seq: 0 });
    t.last().push({ t: 'pong' }); // liveness only
    expect(t.frames).toEqual([{ t: 'synced', conv: 'c1', seq: 0 }]);
  });

  it('connects at once when the URL is known without waiting (the console)', () => {
    const t = setup('sync');
    t.connection.start();
    expect(t.sockets).toHaveLength(1);
  });

  it('does not send anything but hello before the welcome', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    expect(t.connection.send({ t: 'ping' })).toBe(false);
    expect(t.last().sent).toHaveLength(1);
  });

  it('pings every heartbeat and reconnects when nothing arrives for two heartbeats', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    t.last().push(welcome('customer', [], 10_000));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.last().sent.at(-1)).toEqual({ t: 'ping' });
    t.last().push({ t: 'pong' }); // alive: the watchdog restarts from here
    await vi.advanceTimersByTimeAsync(19_999);
    expect(t.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.sockets[0].closedWith).toBe(4000);
    expect(t.connection.status).toBe('waiting');
    await vi.advanceTimersByTimeAsync(500); // first back-off with random() = 0
    expect(t.sockets).toHaveLength(2);
  });

  it('gives up on a handshake that never completes', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open(); // open, but the welcome never comes
    await vi.advanceTimersByTimeAsync(connectTimeoutMs);
    expect(t.connection.status).toBe('waiting');
  });

  it('backs off exponentially while the server is down, and resets after a welcome', async () => {
    const t = setup();
    t.connection.start();
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
    t.last().push(welcome('customer'));
    t.last().drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sockets).toHaveLength(9);
    expect(t.closes.at(-1)).toEqual({ code: 1006, welcomed: true, failuresInARow: 0 });
  });

  it('counts a URL that cannot be had (session refused, offline) as a failed attempt', async () => {
    let calls = 0;
    const statuses: ClientStatus[] = [];
    const connection = new Connection(
      {
        url: () => (++calls === 1 ? Promise.reject(new Error('offline')) : 'ws://kefu.test/ws'),
        hello: () => ({ t: 'hello', subs: {} }),
        welcome: () => undefined,
        frame: () => undefined,
        status: (s) => statuses.push(s),
      },
      {
        createSocket: (u) => new FakeSocket(u),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        random: () => 0,
      },
    );
    connection.start();
    await flush();
    expect(connection.status).toBe('waiting');
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
    expect(statuses).toEqual(['connecting', 'waiting', 'connecting']);
  });

  it('reconnects at once when nudged (online / tab visible) instead of waiting out the back-off', async () => {
    const t = setup();
    t.connection.start();
    for (let i = 0; i < 5; i++) {
      await flush();
      t.last().drop();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    await flush();
    t.last().drop();
    const count = t.sockets.length;
    t.connection.nudge();
    await flush();
    expect(t.sockets).toHaveLength(count + 1);
  });

  it('probes an open socket when nudged: a ping, and a dead socket is found within one heartbeat', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    t.last().push(welcome('agent', undefined, 10_000));
    await vi.advanceTimersByTimeAsync(3000);
    t.connection.nudge();
    expect(t.last().sent.at(-1)).toEqual({ t: 'ping' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.sockets[0].closedWith).toBe(4000);
  });

  it('ignores late events of a socket it already gave up on', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    const old = t.last();
    old.open();
    await vi.advanceTimersByTimeAsync(connectTimeoutMs); // timed out
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sockets).toHaveLength(2);
    old.onmessage?.({ data: JSON.stringify(welcome('customer')) }); // handlers were detached
    expect(t.connection.status).toBe('connecting');
  });

  it('stops cleanly', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    t.last().push(welcome('customer'));
    t.connection.stop();
    expect(t.sockets[0].closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.statuses.at(-1)).toBe('idle');
  });
});

describe('socketUrl', () => {
  it('follows the page scheme and carries the widget token', () => {
    expect(socketUrl({ protocol: 'https:', host: 'kefu.example.com' })).toBe('wss://kefu.example.com/ws');
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:3100' })).toBe('ws://127.0.0.1:3100/ws');
    expect(socketUrl({ protocol: 'https:', host: 'k.cn' }, 'a+b/c')).toBe('wss://k.cn/ws?widget=a%2Bb%2Fc');
  });
});
