/**
 * Test doubles for the realtime client: a WebSocket the test plays the server of, message builders,
 * and a client wired like the console's or the widget's under Vitest's fake timers. Used by unit
 * tests only (never bundled: no app code imports it).
 */
import { vi } from 'vitest';
import { ChatClient, type ChatEvents } from './client.ts';
import type { ClientStatus, RealtimeDeps, SocketLike } from './connection.ts';
import type { ClientFrame, Message, ServerFrame } from './protocol.ts';

export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientFrame[] = [];
  closedWith: number | undefined | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // ---- the server's side ----
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  push(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** Frames of one type written since the socket opened. */
  frames<T extends ClientFrame['t']>(t: T): Array<Extract<ClientFrame, { t: T }>> {
    return this.sent.filter((f): f is Extract<ClientFrame, { t: T }> => f.t === t);
  }
}

/** The connection's dependencies under fake timers: every socket it opens is a FakeSocket pushed onto `sockets`. */
export function fakeDeps(sockets: FakeSocket[]): RealtimeDeps {
  return {
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    random: () => 0,
  };
}

export function message(
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
    at: new Date(Date.UTC(2025, 0, 1, 10, 0, seq)).toISOString(),
    ...extra,
  };
}

export function welcome(
  role: 'agent' | 'customer',
  conversations?: string[],
  heartbeatMs = 10_000,
): Extract<ServerFrame, { t: 'welcome' }> {
  return {
    t: 'welcome',
    role,
    userId: role === 'agent' ? 'usr_1' : null,
    customerId: role === 'customer' ? 'cus_1' : null,
    ...(conversations ? { conversations } : {}),
    heartbeatMs,
  };
}

/** A client as the console (agent) or the widget (customer) wires it, against a fake socket and fake timers. */
export function clientHarness(role: 'agent' | 'customer', options: { inboxUpdates?: boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const statuses: ClientStatus[] = [];
  const added: Message[] = [];
  const threads: Array<string | null> = [];
  const errors: string[] = [];
  let outboxChanges = 0;
  let cids = 0;
  const events: Partial<ChatEvents> = {
    status: (s) => statuses.push(s),
    message: (m) => added.push(m),
    thread: (conv) => threads.push(conv),
    outbox: () => outboxChanges++,
    error: (f) => errors.push(f.code),
  };
  const client = new ChatClient(
    events,
    {
      url: () => 'ws://kefu.test/ws',
      self: () =>
        role === 'agent' ? { type: 'agent', id: 'usr_1', name: '小王' } : { type: 'customer', id: 'cus_1', name: null },
      ...options,
    },
    { ...fakeDeps(sockets), newCid: () => `cid-${++cids}` },
  );
  const last = () => sockets[sockets.length - 1];
  /** Start (or reconnect) and get welcomed. */
  const connect = (conversations?: string[]) => {
    if (!sockets.length) client.start();
    else vi.advanceTimersByTime(30_000);
    last().open();
    last().push(welcome(role, conversations));
    return last();
  };
  const bodies = (conv: string) => client.messages(conv).map((m) => `${m.seq}:${m.body}`);
  return {
    client,
    sockets,
    statuses,
    added,
    threads,
    errors,
    last,
    connect,
    bodies,
    outboxChanges: () => outboxChanges,
  };
}

export const ack = (cid: string, conv: string, seq: number, extra: { duplicate?: boolean; prev?: number } = {}) => ({
  t: 'ack' as const,
  cid,
  conv,
  id: `msg_${conv}_${seq}`,
  seq,
  at: `2025-01-01T10:00:${String(seq).padStart(2, '0')}.000Z`,
  ...extra,
});
