/**
 * The one realtime client of the console and the widget (docs/REALTIME.md). On top of the
 * connection (connection.ts) it keeps, per conversation, the messages in seq order and the seq to
 * resume after (conversation-log.ts), and an outbox of sends resent with the same cid until acked
 * (outbox.ts). It also handles what the server does since issue #8: no echo of one's own message (the ack materialises it), `prev` links that let a
 * shopper tell a note from a lost message, `busy`/`rate_limited` refusals retried after a pause,
 * per-conversation errors in `hello`, and `synced` going back after a database restore.
 * Each front end keeps only its glue: what to subscribe to, how to render, how to get a URL.
 */
import { Connection, type ClientStatus } from './connection.ts';
import { ConversationLog, type GapPolicy } from './conversation-log.ts';
import { newClientId, type Outbox, type OutboxEntry } from './outbox.ts';
import {
  errorCodes,
  refusedConversationErrors,
  retryableSendErrors,
  type AckFrame,
  type ClientFrame,
  type ErrorFrame,
  type Message,
  type ServerFrame,
  type WelcomeFrame,
} from './protocol.ts';
import { SendQueue } from './send-queue.ts';
import type { ChatClientDeps, ChatClientOptions, ChatEvents, SendInput } from './client-types.ts';

export type { ChatClientDeps, ChatClientOptions, ChatEvents, SendInput } from './client-types.ts';

type Phase = 'replaying' | 'live';

const cidConflictText =
  'This message was not sent: its id was already used for another message. Retry to send it again.';

export class ChatClient {
  private readonly connection: Connection;
  private readonly logs = new Map<string, ConversationLog>();
  /** Conversations to be subscribed to: named in every hello. */
  private readonly wanted = new Set<string>();
  /** Per subscription on the current connection: waiting for its `synced`, or streaming live. */
  private phases = new Map<string, Phase>();
  private named = new Set<string>();
  private helloRetried = false;
  private readonly queue: SendQueue;
  private readonly box: Outbox;
  private role: 'agent' | 'customer' | null = null;
  /** The current connection was asked for inbox updates (by its hello or later). */
  private watching = false;
  private defaultConv: string | null = null;
  private readonly events: Partial<ChatEvents>;
  private readonly options: ChatClientOptions;
  private readonly deps: ChatClientDeps;

  constructor(events: Partial<ChatEvents>, options: ChatClientOptions, deps: ChatClientDeps) {
    this.events = events;
    this.options = { ...options };
    this.deps = deps;
    this.queue = new SendQueue(deps, () => this.flush());
    this.box = this.queue.outbox;
    this.connection = new Connection(
      {
        url: (lastClose) => options.url(lastClose),
        hello: () => this.hello(),
        welcome: (w) => this.welcome(w),
        frame: (f) => this.frame(f),
        status: (status, info) => this.events.status?.(status, info),
      },
      deps,
    );
  }

  // ---- connection ----

  get status(): ClientStatus {
    return this.connection.status;
  }

  /** Welcomed: sends go out now rather than after the next welcome. */
  get online(): boolean {
    return this.connection.open;
  }

  start(): void {
    this.connection.start();
  }

  stop(): void {
    this.connection.stop();
    this.queue.stop();
  }

  /** The browser is back online or the tab visible again: retry now, or prove an open socket alive. */
  nudge(): void {
    this.connection.nudge();
  }

  /**
   * Agents: `conv` summaries from now on (a `hello` without subscriptions asks on an open
   * connection; the server has no frame to stop them, so `false` takes effect at the next one).
   */
  watchInbox(on: boolean): void {
    this.options.inboxUpdates = on;
    if (on && !this.watching) this.watching = this.connection.send({ t: 'hello', subs: {}, inboxUpdates: true });
  }

  // ---- conversations ----

  /** Follow a conversation from the highest seq held (0: its whole history is replayed). */
  subscribe(conv: string): void {
    if (this.wanted.has(conv)) return;
    this.wanted.add(conv);
    const log = this.log(conv);
    // Before the welcome it goes into the hello, or out right after the welcome.
    if (this.connection.open) this.requestReplay(conv, log);
  }

  unsubscribe(conv: string): void {
    if (!this.wanted.delete(conv)) return;
    this.phases.delete(conv);
    this.connection.send({ t: 'unsub', conv });
  }

  /** Conversations this client holds messages or state for, in the order it learnt of them. */
  conversations(): string[] {
    return [...this.logs.keys()];
  }

  messages(conv: string): readonly Message[] {
    return this.logs.get(conv)?.messages ?? noMessages;
  }

  /** A replay of `conv` has finished at least once: an empty list now means an empty conversation. */
  isSynced(conv: string): boolean {
    return this.logs.get(conv)?.synced ?? false;
  }

  resumeSeq(conv: string): number {
    return this.logs.get(conv)?.resumeSeq ?? 0;
  }

  /** The conversation sends without one go to (a shopper's current one); the ack of a send sets it too. */
  get defaultConversation(): string | null {
    return this.defaultConv;
  }

  assignConversation(conv: string | null): void {
    if (!conv) return;
    this.defaultConv = conv;
    this.assignPending(conv);
    this.flush();
  }

  // ---- sending ----

  /** Queues a message; written now when online, otherwise after the next welcome. */
  send(input: SendInput): OutboxEntry {
    const entry = this.box.add({
      cid: input.cid ?? this.newCid(),
      conv: input.conv ?? this.defaultConv,
      kind: input.kind,
      body: input.body,
      attachments: input.attachments ?? [],
      createdAt: new Date().toISOString(),
    });
    this.changed(entry.conv, true);
    this.flush();
    return entry;
  }

  /** Everything unacknowledged, oldest first; with `conv`, that conversation's (null: not yet in one). */
  pending(conv?: string | null): readonly OutboxEntry[] {
    return conv === undefined ? this.box.all() : this.box.forConversation(conv);
  }

  entry(cid: string): OutboxEntry | undefined {
    return this.box.get(cid);
  }

  /** A failed send again. False when it had not failed (the console then tries HTTP). */
  retry(cid: string): boolean {
    const failed = this.box.get(cid);
    if (failed?.state !== 'failed') return false;
    // The server holds another message under that cid: this one needs a new id to be stored at all.
    const entry = this.box.retry(cid, failed.code === errorCodes.cidConflict ? this.newCid() : undefined)!;
    this.queue.forget(cid);
    this.changed(entry.conv, true);
    this.flush();
    return true;
  }

  discard(cid: string): boolean {
    const entry = this.box.remove(cid);
    if (!entry) return false;
    this.queue.forget(cid);
    this.changed(entry.conv, true);
    return true;
  }

  /** Stored by other means (the console's HTTP fallback with the same cid): as if acked here. */
  acked(ack: Omit<AckFrame, 't'>): void {
    this.onAck({ t: 'ack', ...ack });
  }

  /** Puts back sends an earlier page left (tolerant of junk). */
  restoreOutbox(saved: unknown): void {
    if (!this.box.restore(saved)) return;
    if (this.defaultConv) this.assignPending(this.defaultConv);
    this.flush();
  }

  typing(conv: string, on: boolean): boolean {
    return this.connection.send({ t: 'typing', conv, on });
  }

  read(conv: string, seq: number): boolean {
    return this.connection.send({ t: 'read', conv, seq });
  }

  // ---- the connection's owner ----

  private hello(): ClientFrame {
    this.phases = new Map();
    this.named = new Set(this.wanted);
    this.helloRetried = false;
    this.watching = !!this.options.inboxUpdates;
    const subs: Record<string, number> = {};
    for (const conv of this.wanted) {
      subs[conv] = this.log(conv).resumeSeq;
      this.phases.set(conv, 'replaying');
    }
    return { t: 'hello', subs, ...(this.options.inboxUpdates ? { inboxUpdates: true } : {}) };
  }

  private welcome(w: WelcomeFrame): void {
    this.role = w.role;
    // The server subscribes a shopper to all of their conversations, named in the hello or not.
    for (const conv of w.conversations ?? []) {
      this.log(conv);
      this.wanted.add(conv);
      if (!this.phases.has(conv)) this.phases.set(conv, 'replaying');
    }
    for (const conv of this.wanted) if (!this.phases.has(conv)) this.requestReplay(conv, this.log(conv));
    for (const conv of this.named) if (!this.wanted.has(conv)) this.connection.send({ t: 'unsub', conv });
    const latest = w.conversations?.[w.conversations.length - 1];
    if (!this.defaultConv && latest) this.defaultConv = latest;
    if (this.defaultConv) this.assignPending(this.defaultConv);
    // A new socket: everything unacked goes out again with the same cid.
    this.queue.reset();
    this.flush();
    if (this.options.inboxUpdates) this.watchInbox(true); // asked for between the hello and the welcome
    this.events.welcome?.(w);
  }

  private frame(f: ServerFrame): void {
    switch (f.t) {
      case 'msg':
        return this.onMessage(f.m, f.prev);
      case 'synced': {
        const log = this.log(f.conv);
        const before = log.synced;
        const dropped = log.sync(f.seq, this.policy());
        this.phases.set(f.conv, 'live');
        if (!before || dropped) this.changed(f.conv, false);
        return;
      }
      case 'ack':
        return this.onAck(f);
      case 'error':
        return this.onError(f);
      case 'conv':
        return this.events.conv?.(f.c);
      case 'typing':
        return this.events.typing?.(f);
      case 'read':
        return this.events.read?.(f);
      case 'queue':
        return this.events.queue?.(f);
      default:
        return;
    }
  }

  private onMessage(m: Message, prev: number | undefined): void {
    if (!this.logs.has(m.conv)) {
      // Not asked for, so the server subscribed us: a shopper's conversation started by a send without conv.
      this.wanted.add(m.conv);
      this.phases.set(m.conv, 'live');
    }
    const log = this.log(m.conv);
    const own = m.cid !== null && m.sender.type === this.options.self().type ? this.box.remove(m.cid) : undefined;
    if (own) {
      this.queue.forget(own.cid);
      if (own.conv === null) this.adopt(m.conv);
    }
    const receipt = log.receive(m, prev, this.policy());
    if (receipt === 'added') this.events.message?.(m);
    if (own && own.conv !== m.conv) this.changed(own.conv, false);
    if (receipt !== 'duplicate' || own) this.changed(m.conv, !!own);
    // A message after a hole: ask for a replay from where we are sure, rather than skip what is missing.
    if (receipt === 'added' && log.gap && this.wanted.has(m.conv) && this.phases.get(m.conv) === 'live')
      this.requestReplay(m.conv, log);
  }

  private onAck(a: AckFrame): void {
    const entry = this.box.remove(a.cid);
    if (entry) this.queue.forget(a.cid);
    if (!this.logs.has(a.conv) && entry?.conv === null) {
      // A conversation the send started: the server has subscribed us to it, with nothing to replay.
      this.wanted.add(a.conv);
      this.phases.set(a.conv, 'live');
    }
    this.adopt(a.conv);
    if (entry) {
      // Our own message: shown from what we sent, as the server may not send it back (no echo).
      const m: Message = {
        id: a.id,
        conv: a.conv,
        seq: a.seq,
        cid: a.cid,
        kind: entry.kind,
        body: entry.body,
        attachments: entry.attachments,
        sender: this.options.self(),
        at: a.at,
      };
      if (this.log(a.conv).materialise(m, a.prev, this.policy())) this.events.message?.(m);
      if (entry.conv !== a.conv) this.changed(entry.conv, false);
      this.changed(a.conv, true);
    }
    this.flush(); // sends that waited for the conversation to be named
  }

  private onError(f: ErrorFrame): void {
    const entry = f.cid ? this.box.get(f.cid) : undefined;
    if (entry && retryableSendErrors.includes(f.code)) return this.queue.pause(entry.cid, f.retryInMs);
    if (entry) {
      const text = f.code === errorCodes.cidConflict ? cidConflictText : f.message;
      this.box.fail(entry.cid, f.code, text);
      this.queue.forget(entry.cid);
      this.changed(entry.conv, true);
      this.flush(); // a refused first message must not hold back the ones after it
    } else if (!f.cid && refusedConversationErrors.includes(f.code)) {
      if (f.conv) {
        // That conversation only (per entry in hello, and from sub, typing, read).
        this.wanted.delete(f.conv);
        this.phases.delete(f.conv);
      } else if (!this.helloRetried) {
        // Today's server stops at the first refused conversation of a hello without naming it:
        // ask again one by one for what has not replayed yet; each refusal then names its own.
        this.helloRetried = true;
        for (const [conv, phase] of this.phases)
          if (phase === 'replaying' && this.wanted.has(conv)) this.requestReplay(conv, this.log(conv));
      }
    }
    this.events.error?.(f);
  }

  // ---- helpers ----

  private flush(): void {
    if (this.connection.open) this.queue.flush((frame) => this.connection.send(frame));
  }

  /** The server named the conversation of a send: sends without one follow it there. */
  private adopt(conv: string): void {
    this.defaultConv = conv;
    this.assignPending(conv);
  }

  private assignPending(conv: string): void {
    if (!this.box.assign(conv)) return;
    this.changed(null, false);
    this.changed(conv, true);
  }

  private requestReplay(conv: string, log: ConversationLog): void {
    if (this.connection.send({ t: 'sub', conv, lastSeq: log.resumeSeq })) this.phases.set(conv, 'replaying');
  }

  /** Agents see every seq; shoppers not the notes, so without `prev` a gap in their seqs proves nothing. */
  private policy(): GapPolicy {
    return (this.role ?? this.options.self().type) === 'agent' ? 'contiguous' : 'lenient';
  }

  private log(conv: string): ConversationLog {
    let log = this.logs.get(conv);
    if (!log) this.logs.set(conv, (log = new ConversationLog(conv)));
    return log;
  }

  private changed(conv: string | null, outbox: boolean): void {
    this.events.thread?.(conv);
    if (outbox) this.events.outbox?.();
  }

  private newCid(): string {
    return (this.deps.newCid ?? newClientId)();
  }
}

const noMessages: readonly Message[] = [];
