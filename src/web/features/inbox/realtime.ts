/**
 * The console's side of the realtime protocol (docs/REALTIME.md): one WebSocket to /ws that stays
 * up, says `hello` with the highest seq seen per subscribed conversation, drops `msg` frames it
 * already has, keeps unacknowledged sends in an outbox and resends them with the same `cid` after
 * a reconnect. The pure parts (back-off, seq tracking, outbox, ordered merge) are exported for tests;
 * the socket, timers and randomness are injected so the lifecycle runs under fake timers too.
 */
import type { Attachment, ClientFrame, ConversationSummary, Message, ServerFrame } from '../../../shared/realtime.ts';

// ---------- back-off ----------

export const backoffMinMs = 500;
export const backoffMaxMs = 30_000;

/** Delay before reconnect attempt `attempt` (0 = first retry): 0.5 s doubling to 30 s, with "equal jitter". */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoffMaxMs, backoffMinMs * 2 ** Math.max(0, Math.min(attempt, 16)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(backoffMinMs, Math.round(ceiling * (0.5 + r / 2)));
}

// ---------- seq tracking ----------

/** The highest seq seen per conversation; a message at or below it is a duplicate. */
export class SeqTracker {
  private readonly seqs = new Map<string, number>();

  highest(conv: string): number {
    return this.seqs.get(conv) ?? 0;
  }

  /** True (and remembered) when `seq` is new for `conv`; false for a replayed or repeated one. */
  accept(conv: string, seq: number): boolean {
    if (seq <= this.highest(conv)) return false;
    this.seqs.set(conv, seq);
    return true;
  }
}

/** A seq-ordered list with `m` in its place; the same list when that seq is already there. */
export function insertMessage(list: readonly Message[], m: Message): readonly Message[] {
  const last = list[list.length - 1];
  if (!last || last.seq < m.seq) return [...list, m];
  let i = list.length;
  while (i > 0 && list[i - 1].seq > m.seq) i--;
  if (i > 0 && list[i - 1].seq === m.seq) return list;
  return [...list.slice(0, i), m, ...list.slice(i)];
}

// ---------- outbox ----------

export type SendKind = 'text' | 'note' | 'image' | 'file';
export type OutboxState = 'sending' | 'acked' | 'failed';
export type OutboxEntry = {
  cid: string;
  conv: string;
  kind: SendKind;
  body: string;
  /** Full attachments, so a pending message can already show its image or file. */
  attachments: Attachment[];
  state: OutboxState;
  /** Set once acked; the entry goes when the message itself (same cid) arrives. */
  seq?: number;
  error?: string;
  createdAt: number;
};

/** Messages sent but not yet seen back as `msg` frames, in the order they were written. */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();

  add(entry: Omit<OutboxEntry, 'state'>): OutboxEntry {
    const added: OutboxEntry = { ...entry, state: 'sending' };
    this.entries.set(entry.cid, added);
    return added;
  }

  get(cid: string): OutboxEntry | undefined {
    return this.entries.get(cid);
  }

  has(cid: string): boolean {
    return this.entries.has(cid);
  }

  /** The server stored it as `seq`; kept until the message arrives so the bubble never blinks. */
  ack(cid: string, seq: number): OutboxEntry | undefined {
    return this.replace(cid, { state: 'acked', seq, error: undefined });
  }

  fail(cid: string, error: string): OutboxEntry | undefined {
    const entry = this.entries.get(cid);
    if (!entry || entry.state === 'acked') return undefined;
    return this.replace(cid, { state: 'failed', error });
  }

  /** Back to `sending` (same cid: the server stores it at most once). */
  retry(cid: string): OutboxEntry | undefined {
    const entry = this.entries.get(cid);
    if (!entry || entry.state !== 'failed') return undefined;
    return this.replace(cid, { state: 'sending', error: undefined });
  }

  remove(cid: string): boolean {
    return this.entries.delete(cid);
  }

  /** Drops acked entries of `conv` at or below `seq` (their messages have been received). */
  settle(conv: string, seq: number): boolean {
    let changed = false;
    for (const [cid, e] of this.entries) {
      if (e.conv === conv && e.state === 'acked' && (e.seq ?? 0) <= seq) changed = this.entries.delete(cid) || changed;
    }
    return changed;
  }

  /** What to (re)send after a (re)connect: everything still `sending`, oldest first. */
  unsent(): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => e.state === 'sending');
  }

  forConversation(conv: string): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => e.conv === conv);
  }

  private replace(cid: string, patch: Partial<OutboxEntry>): OutboxEntry | undefined {
    const entry = this.entries.get(cid);
    if (!entry) return undefined;
    const next = { ...entry, ...patch };
    this.entries.set(cid, next);
    return next;
  }
}

export function sendFrame(e: Pick<OutboxEntry, 'cid' | 'conv' | 'kind' | 'body' | 'attachments'>): ClientFrame {
  return {
    t: 'send',
    cid: e.cid,
    conv: e.conv,
    kind: e.kind,
    body: e.body,
    ...(e.attachments.length ? { attachments: e.attachments.map((a) => ({ id: a.id })) } : {}),
  };
}

let counter = 0;
/** A client id unique enough per sender: random plus time plus a counter. */
export function newClientId(random: () => number = Math.random): string {
  counter = (counter + 1) % 1_000_000;
  return `c-${Date.now().toString(36)}-${counter.toString(36)}-${Math.floor(random() * 2 ** 40).toString(36)}`;
}

// ---------- the socket ----------

export type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
};

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'stopped';

export type ChatSocketDeps = {
  url: () => string;
  createSocket: (url: string) => SocketLike;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random: () => number;
};

export type ChatEvents = {
  status: (status: ConnectionStatus) => void;
  /** A message not seen before, in seq order per conversation. */
  message: (m: Message) => void;
  synced: (conv: string, seq: number) => void;
  conv: (c: ConversationSummary) => void;
  typing: (f: Extract<ServerFrame, { t: 'typing' }>) => void;
  read: (f: Extract<ServerFrame, { t: 'read' }>) => void;
  /** The outbox changed (added, acked, failed, settled). */
  outbox: (conv: string) => void;
  error: (f: Extract<ServerFrame, { t: 'error' }>) => void;
};

const openState = 1;
const connectTimeoutMs = 15_000;
const defaultHeartbeatMs = 25_000;
/** Closed by us because nothing arrived for two heartbeats. */
export const silentCloseCode = 4000;

export class ChatSocket {
  readonly seqs = new SeqTracker();
  readonly outbox = new Outbox();
  private readonly subs = new Set<string>();
  private socket: SocketLike | null = null;
  private generation = 0;
  private attempt = 0;
  private welcomed = false;
  private running = false;
  private heartbeatMs = defaultHeartbeatMs;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private watchdog: unknown = null;
  private current: ConnectionStatus = 'stopped';
  private everOnline = false;
  private readonly events: Partial<ChatEvents>;
  private readonly deps: ChatSocketDeps;

  constructor(events: Partial<ChatEvents>, deps: ChatSocketDeps) {
    this.events = events;
    this.deps = deps;
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  get online(): boolean {
    return this.welcomed;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.clearTimers();
    this.detach();
    this.setStatus('stopped');
  }

  /** The browser is back online or the tab visible again: retry now, or prove an open socket alive. */
  nudge(): void {
    if (!this.running) return;
    if (this.retryTimer !== null) {
      this.deps.clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.connect();
    } else if (this.welcomed) {
      this.write({ t: 'ping' });
      this.armWatchdog(this.heartbeatMs);
    }
  }

  /** Follow a conversation from the highest seq we have (0: its whole history is replayed). */
  subscribe(conv: string): void {
    if (this.subs.has(conv)) return;
    this.subs.add(conv);
    this.write({ t: 'sub', conv, lastSeq: this.seqs.highest(conv) });
  }

  unsubscribe(conv: string): void {
    if (!this.subs.delete(conv)) return;
    this.write({ t: 'unsub', conv });
  }

  /** Queues a message; written now when connected, otherwise after the next welcome. */
  send(entry: Omit<OutboxEntry, 'state' | 'createdAt' | 'cid'> & { cid?: string }): OutboxEntry {
    const added = this.outbox.add({ ...entry, cid: entry.cid ?? newClientId(this.deps.random), createdAt: Date.now() });
    if (this.welcomed) this.write(sendFrame(added));
    this.events.outbox?.(added.conv);
    return added;
  }

  /** A failed message again, with the same cid. False when not connected (the caller may use HTTP). */
  retry(cid: string): boolean {
    const entry = this.outbox.retry(cid);
    if (!entry) return false;
    this.events.outbox?.(entry.conv);
    if (this.welcomed) this.write(sendFrame(entry));
    return true;
  }

  /** The HTTP fallback stored it: treat like an ack. */
  acked(cid: string, seq: number): void {
    const entry = this.outbox.ack(cid, seq);
    if (!entry) return;
    if (seq <= this.seqs.highest(entry.conv)) this.outbox.settle(entry.conv, this.seqs.highest(entry.conv));
    this.events.outbox?.(entry.conv);
  }

  typing(conv: string, on: boolean): void {
    this.write({ t: 'typing', conv, on });
  }

  read(conv: string, seq: number): boolean {
    return this.welcomed && this.write({ t: 'read', conv, seq });
  }

  private write(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== openState) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private connect(): void {
    const gen = ++this.generation;
    this.welcomed = false;
    this.setStatus(this.everOnline ? 'reconnecting' : 'connecting');
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(this.deps.url());
    } catch {
      this.lost();
      return;
    }
    this.socket = socket;
    this.armWatchdog(connectTimeoutMs);
    socket.onopen = () => {
      if (gen !== this.generation) return;
      const subs: Record<string, number> = {};
      for (const conv of this.subs) subs[conv] = this.seqs.highest(conv);
      this.write({ t: 'hello', subs, inboxUpdates: true });
    };
    socket.onmessage = (event) => {
      if (gen === this.generation) this.receive(event.data);
    };
    socket.onclose = () => {
      if (gen === this.generation) this.lost();
    };
    socket.onerror = () => {
      /* a close event follows */
    };
  }

  private receive(data: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.t !== 'string') return;
    this.armWatchdog(this.welcomed ? this.heartbeatMs * 2 : connectTimeoutMs);
    switch (frame.t) {
      case 'welcome':
        this.welcomed = true;
        this.everOnline = true;
        this.attempt = 0;
        this.heartbeatMs = frame.heartbeatMs > 0 ? frame.heartbeatMs : defaultHeartbeatMs;
        this.armWatchdog(this.heartbeatMs * 2);
        this.schedulePing();
        // The hello went out before the welcome; frames of one connection are handled in order,
        // so these resends are processed after the replay of the subscriptions.
        for (const entry of this.outbox.unsent()) this.write(sendFrame(entry));
        this.setStatus('online');
        return;
      case 'msg': {
        const m = frame.m;
        if (!this.seqs.accept(m.conv, m.seq)) return;
        const own = m.cid !== null && m.sender.type === 'agent' && this.outbox.has(m.cid);
        if (own) this.outbox.remove(m.cid!);
        const settled = this.outbox.settle(m.conv, m.seq);
        this.events.message?.(m);
        if (own || settled) this.events.outbox?.(m.conv);
        return;
      }
      case 'ack': {
        const entry = this.outbox.ack(frame.cid, frame.seq);
        if (!entry) return;
        this.outbox.settle(frame.conv, this.seqs.highest(frame.conv));
        this.events.outbox?.(entry.conv);
        return;
      }
      case 'error':
        if (frame.cid && this.outbox.fail(frame.cid, frame.code))
          this.events.outbox?.(this.outbox.get(frame.cid)!.conv);
        this.events.error?.(frame);
        return;
      case 'synced':
        this.events.synced?.(frame.conv, frame.seq);
        return;
      case 'conv':
        this.events.conv?.(frame.c);
        return;
      case 'typing':
        this.events.typing?.(frame);
        return;
      case 'read':
        this.events.read?.(frame);
        return;
      case 'pong':
        return;
    }
  }

  private schedulePing(): void {
    this.deps.clearTimeout(this.pingTimer);
    this.pingTimer = this.deps.setTimeout(() => {
      this.write({ t: 'ping' });
      this.schedulePing();
    }, this.heartbeatMs);
  }

  private armWatchdog(ms: number): void {
    this.deps.clearTimeout(this.watchdog);
    this.watchdog = this.deps.setTimeout(() => this.lost(silentCloseCode), ms);
  }

  /** The socket is gone or silent: forget it and try again after the back-off. */
  private lost(code?: number): void {
    if (!this.running) return;
    this.generation++;
    this.welcomed = false;
    this.clearTimers();
    this.detach(code);
    this.setStatus(this.everOnline ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(this.attempt++, this.deps.random);
    this.retryTimer = this.deps.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private detach(code?: number): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code ?? 1000);
    } catch {
      /* already closed */
    }
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.pingTimer, this.watchdog])
      if (timer !== null) this.deps.clearTimeout(timer);
    this.retryTimer = this.pingTimer = this.watchdog = null;
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.current) return;
    this.current = status;
    this.events.status?.(status);
  }
}

/** Same-origin /ws URL (wss on https). */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
