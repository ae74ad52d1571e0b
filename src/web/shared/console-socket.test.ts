/**
 * The console's one connection per tab: held for presence on every page, shared by the pages that
 * listen, asking for inbox updates only while a page wants them, closed on sign-out.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientStatus } from '../../shared/realtime/connection.ts';
import { fakeDeps, type FakeSocket, welcome } from '../../shared/realtime/testing.ts';
import { ConsoleSocket } from './console-socket.tsx';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function harness() {
  const sockets: FakeSocket[] = [];
  const socket = new ConsoleSocket(
    () => ({ type: 'agent', id: 'usr_1', name: '小王' }),
    fakeDeps(sockets),
    () => 'ws://kefu.test/ws',
  );
  const last = () => sockets[sockets.length - 1];
  const welcomeLast = () => {
    last().open();
    last().push(welcome('agent'));
  };
  return { socket, sockets, last, welcomeLast };
}

describe('ConsoleSocket', () => {
  it('holds one connection for presence whatever the page, and pages share it', () => {
    const t = harness();
    t.socket.hold(true);
    expect(t.sockets).toHaveLength(1);
    t.welcomeLast();
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: {} }); // no inbox on screen: no summaries asked for

    // A page that listens later hears the current state at once, and the frames after it.
    const seen: ClientStatus[] = [];
    const convs: string[] = [];
    const stop = t.socket.listen({ status: (s) => seen.push(s), conv: (c) => convs.push(c.id) });
    expect(seen).toEqual(['open']);
    t.last().push({ t: 'conv', c: { id: 'cnv_1' } as never });
    expect(convs).toEqual(['cnv_1']);

    // Leaving the page keeps the connection: the agent stays present.
    stop();
    t.last().push({ t: 'conv', c: { id: 'cnv_2' } as never });
    expect(convs).toEqual(['cnv_1']);
    expect(t.socket.active).toBe(true);
    expect(t.last().closedWith).toBeNull();
    expect(t.sockets).toHaveLength(1);

    // Sign-out: closed, and no reconnect.
    t.socket.close();
    expect(t.last().closedWith).toBe(1000);
    vi.advanceTimersByTime(120_000);
    expect(t.sockets).toHaveLength(1);
  });

  it('asks for inbox updates while a page wants them (on the open connection), and not after a reconnect without one', () => {
    const t = harness();
    t.socket.hold(true);
    t.welcomeLast();
    const a = t.socket.listen({}, { inboxUpdates: true });
    const b = t.socket.listen({}, { inboxUpdates: true });
    expect(t.last().frames('hello')).toEqual([
      { t: 'hello', subs: {} },
      { t: 'hello', subs: {}, inboxUpdates: true },
    ]);
    a();
    t.last().drop();
    vi.advanceTimersByTime(30_000);
    t.last().open();
    expect(t.last().sent[0]).toEqual({ t: 'hello', subs: {}, inboxUpdates: true }); // b still wants them
    t.last().push(welcome('agent'));
    b();
    t.last().drop();
    vi.advanceTimersByTime(30_000);
    t.welcomeLast();
    expect(t.last().frames('hello')).toEqual([{ t: 'hello', subs: {} }]);
  });

  it('inbox updates asked for between the hello and the welcome go out with the welcome', () => {
    const t = harness();
    t.socket.hold(true);
    t.last().open(); // hello written without them
    t.socket.listen({}, { inboxUpdates: true });
    expect(t.last().sent).toEqual([{ t: 'hello', subs: {} }]);
    t.last().push(welcome('agent'));
    expect(t.last().sent).toEqual([
      { t: 'hello', subs: {} },
      { t: 'hello', subs: {}, inboxUpdates: true },
    ]);
  });

  it('someone who takes no conversations holds it only while a page listens', () => {
    const t = harness();
    t.socket.hold(false);
    expect(t.sockets).toHaveLength(0);
    const stop = t.socket.listen({}, { inboxUpdates: true });
    expect(t.sockets).toHaveLength(1);
    t.welcomeLast();
    stop();
    expect(t.socket.active).toBe(false);
    expect(t.last().closedWith).toBe(1000);
    vi.advanceTimersByTime(120_000);
    expect(t.sockets).toHaveLength(1);
  });
});
