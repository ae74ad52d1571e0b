/**
 * The realtime gateway at /ws (protocol: src/shared/realtime/protocol.ts, docs/REALTIME.md).
 * Agents authenticate with their session cookie, shoppers with a widget token. Each client says
 * what it has seen per conversation; the gateway replays the rest from the database, then streams
 * live frames that arrive over the bus, in seq order per conversation (fanout.ts), so a shopper on
 * node A and an agent on node B talk. A client that reads too slowly is disconnected rather than
 * buffered without bound: it reconnects and resumes from the database, losing nothing. Sockets
 * follow their session on every node (sessions.ts); frames and messages are rate-limited.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { closeCodes, maxFrameBytes, type ClientFrame, type ServerFrame } from '../../shared/realtime/protocol.ts';
import type { Services } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { eventsChannel, type DomainEvent } from '../lib/events/index.ts';
import {
  chatChannel,
  getConversationRow,
  isCustomersConversation,
  markRead,
  summaries,
  type ChatBusMessage,
} from '../modules/conversations/index.ts';
import { agentConnected, agentDisconnected } from '../modules/routing/index.ts';
import { touchPresence } from '../modules/users/index.ts';
import { assertWritesAllowed } from '../modules/backups/index.ts';
import { connectionFor, readRightsAgain, refusal, type Conn } from './connect.ts';
import { Fanout } from './fanout.ts';
import { realtimeMetrics } from './metrics.ts';
import { OnlineCounts } from './online.ts';
import { QueueNotices } from './queue-notices.ts';
import { cork } from './cork.ts';
import { BucketMap } from './rate-limit.ts';
import { defaultReadLimits, ReadFlow, type ReadLimits } from './read-flow.ts';
import { Heartbeat, heartbeatSlices } from './heartbeat.ts';
import { parseFrame } from './parse-frame.ts';
import { onSend } from './send.ts';
import { recheckMs, sessionChangeOf } from './sessions.ts';

export const heartbeatMs = 25_000;
const maxBufferedBytes = 1024 * 1024;
/** A connection's frame chain when its last frame was handled at once. */
const handled = Promise.resolve();

export type GatewayOptions = { holdMs?: number; readLimits?: ReadLimits };

export class Gateway {
  readonly s: Services;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  private readonly conns = new Set<Conn>();
  private agents = 0; // kept as connections open and close, so a /metrics scrape counts nothing
  private readonly online: OnlineCounts;
  private readonly byUser = new Map<string, Set<Conn>>();
  private readonly watchers = new Map<string, Set<Conn>>();
  private readonly dirty = new Map<string, Set<string>>(); // workspace → conversations whose summary changed
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => Promise<void>)[] = [];
  private readonly queueNotices: QueueNotices;
  readonly metrics;
  readonly fanout: Fanout;
  /** Messages per sender (shopper or agent) across their connections on this node. */
  readonly senders: BucketMap;
  private readonly flow: ReadFlow;

  constructor(s: Services, o: GatewayOptions = {}) {
    this.s = s;
    this.online = new OnlineCounts(s);
    this.metrics = realtimeMetrics(s.metrics, () => this.counts(), this.online);
    this.flow = new ReadFlow(o.readLimits ?? defaultReadLimits, (why) => this.metrics.readPauses.inc({ why }));
    this.senders = new BucketMap(s.config.chatMessagesPerSecond, s.config.chatMessagesPerSecond * 10);
    this.fanout = new Fanout(s, {
      holdMs: o.holdMs ?? 100,
      replayPage: 500,
      replayHighWater: maxBufferedBytes / 4,
      send: (conn, frame, replay) => this.send(conn, frame, replay),
      gapFilled: () => this.metrics.gapsFilled.inc(),
    });
    this.queueNotices = new QueueNotices(s, { byConv: this.fanout.byConv, send: (c, f) => this.send(c, f) });
  }

  counts(): { agent: number; customer: number } {
    return { agent: this.agents, customer: this.conns.size - this.agents };
  }

  async start(server: Server): Promise<void> {
    this.unsubscribe.push(await this.s.bus.subscribe(chatChannel, (m) => this.fromBus(m as ChatBusMessage)));
    this.unsubscribe.push(await this.s.bus.subscribe(eventsChannel, (e) => this.onEvent(e as DomainEvent)));
    this.unsubscribe.push(await this.queueNotices.start());
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') return;
      this.upgrade(req, socket, head).catch((err: unknown) => this.refuse(socket, err));
    });
    const heartbeat = new Heartbeat(this.conns, (c) => this.close(c));
    this.timers.push(setInterval(() => heartbeat.tick(), heartbeatMs / heartbeatSlices));
    this.timers.push(setInterval(() => void this.flushSummaries(), 250));
    this.timers.push(setInterval(() => void this.touchAgents(), 30_000));
    this.timers.push(setInterval(() => this.senders.sweep(Date.now()), 10_000));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const u of this.unsubscribe) await u();
    for (const c of this.conns) c.ws.close(closeCodes.goingAway, 'server restarting');
    this.wss.close();
  }

  private refuse(socket: Duplex, err: unknown): void {
    if (!(err instanceof AppError)) this.s.log.error({ err }, 'websocket upgrade failed');
    socket.end(refusal(err));
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const conn = await connectionFor(this.s, req);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open({ ...conn, ws }));
  }

  private open(conn: Conn): void {
    this.conns.add(conn);
    this.online.add(conn);
    if (conn.kind === 'agent') {
      this.agents++;
      this.byUser.set(conn.sender.id, (this.byUser.get(conn.sender.id) ?? new Set()).add(conn));
      void this.touchAgents([conn.sender.id]);
      if (conn.canWrite) this.routingPresence(conn, agentConnected);
    }
    conn.ws.on('pong', () => (conn.alive = true));
    conn.ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.alive = true;
      const wait = conn.frames.take(Date.now());
      if (wait > 0) return this.closeWith(conn, closeCodes.rateLimited, 'too many frames; reconnect later');
      this.flow.received(conn);
      // In order: at once when none of its frames is still being handled, else after them.
      conn.chain =
        conn.pendingFrames === 1
          ? (this.handle(conn, data, isBinary, performance.now()) ?? handled)
          : conn.chain.then(this.handle.bind(this, conn, data, isBinary, performance.now()));
    });
    conn.ws.on('close', () => this.close(conn));
    conn.ws.on('error', () => this.close(conn));
    this.send(conn, {
      t: 'welcome',
      role: conn.kind,
      userId: conn.kind === 'agent' ? conn.sender.id : null,
      customerId: conn.kind === 'customer' ? conn.sender.id : null,
      ...(conn.kind === 'customer' ? { conversations: [...conn.allowed] } : {}),
      heartbeatMs,
    });
  }

  private close(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    this.online.remove(conn);
    this.fanout.drop(conn);
    this.watchers.get(conn.workspaceId)?.delete(conn);
    if (conn.kind !== 'agent') return this.queueNotices.closed(conn, conn.allowed);
    this.agents--;
    if (this.counted.delete(conn)) this.routingPresence(conn, agentDisconnected);
    const mine = this.byUser.get(conn.sender.id);
    if (mine?.delete(conn) && !mine.size) this.byUser.delete(conn.sender.id);
  }

  private presence: Promise<void> = Promise.resolve();
  private readonly counted = new WeakSet<Conn>();
  /** Routing counts writers' connections (a reader takes no seat), in order: a close never overtakes its open. */
  private routingPresence(conn: Conn, step: typeof agentConnected): void {
    if (step === agentConnected) this.counted.add(conn);
    this.presence = this.presence
      .then(() => step(this.s, conn.workspaceId, conn.sender.id))
      .catch((err: unknown) => this.s.log.warn({ err }, 'routing presence update failed'));
  }

  closeWith(conn: Conn, code: number, reason: string): void {
    if (code === closeCodes.rateLimited) this.metrics.rateLimited.inc({ what: 'frames' });
    conn.ws.close(code, reason);
    this.close(conn);
  }

  /**
   * Sends a frame (or a pre-serialised one); a client too far behind is cut off to resume later.
   * A replay's frames are paced by the replay itself (it waits for the socket to drain).
   */
  send(conn: Conn, frame: ServerFrame | string, replay = false): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (!replay && conn.ws.bufferedAmount > maxBufferedBytes) {
      this.metrics.slowConsumers.inc();
      return this.closeWith(conn, closeCodes.tooSlow, 'too slow: reconnect and resume');
    }
    cork(conn.ws);
    conn.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    this.flow.sent(conn);
  }

  error(conn: Conn, code: string, message: string, extra: { cid?: string; conv?: string; retryInMs?: number } = {}) {
    this.metrics.frameErrors.inc({ code });
    this.send(conn, { t: 'error', code, message, ...extra });
  }

  /**
   * One frame, in its connection's order (`receivedAt`: its arrival, for the ack latency); never
   * rejects. A promise only while the frame waits for something (most sends are handled at once).
   */
  private handle(conn: Conn, data: RawData, isBinary: boolean, receivedAt: number): Promise<void> | undefined {
    let waiting: Promise<void> | void = undefined;
    try {
      waiting = this.onFrame(conn, data, isBinary, receivedAt);
    } catch (err) {
      this.s.log.error({ err }, 'realtime frame failed');
    }
    if (!waiting) return void this.flow.handled(conn);
    return waiting.then(
      () => this.flow.handled(conn),
      (err: unknown) => (this.s.log.error({ err }, 'realtime frame failed'), this.flow.handled(conn)),
    );
  }

  /** A send whose connection's rights are fresh goes straight to `onSend`; every other frame to `onOtherFrame`. */
  private onFrame(conn: Conn, data: RawData, isBinary: boolean, receivedAt: number): Promise<void> | void {
    if (!this.conns.has(conn)) return;
    const f = parseFrame(data, isBinary);
    if ('invalid' in f) return this.error(conn, 'invalid_frame', f.invalid, f.cid ? { cid: f.cid } : {});
    if (f.t !== 'send' || !this.current(conn)) return this.onOtherFrame(conn, f, receivedAt);
    try {
      const waiting = onSend(this, conn, f, receivedAt);
      if (waiting) return waiting.catch((err: unknown) => this.frameFailed(conn, f, err));
    } catch (err) {
      this.frameFailed(conn, f, err);
    }
  }

  private async onOtherFrame(conn: Conn, f: ClientFrame, receivedAt: number): Promise<void> {
    try {
      if (f.t !== 'ping' && !this.current(conn) && !(await this.reauthorize(conn))) return;
      switch (f.t) {
        case 'ping':
          return this.send(conn, { t: 'pong' });
        case 'hello':
          if (f.inboxUpdates && conn.kind === 'agent') {
            conn.inboxUpdates = true;
            this.watchers.set(conn.workspaceId, (this.watchers.get(conn.workspaceId) ?? new Set()).add(conn));
          }
          // Customers are subscribed to all their conversations; agents to what they name.
          for (const conv of conn.kind === 'customer' ? conn.allowed : []) if (!(conv in f.subs)) f.subs[conv] = 0;
          // Each entry on its own: a refused conversation gets its error (with `conv`), the others are subscribed.
          for (const [conv, seq] of Object.entries(f.subs)) await this.subscribeOrRefuse(conn, conv, seq);
          return;
        case 'sub':
          return await this.subscribe(conn, f.conv, f.lastSeq);
        case 'unsub':
          return this.fanout.unsubscribe(conn, f.conv);
        case 'send':
          return await onSend(this, conn, f, receivedAt); // after its connection's rights were read again
        case 'typing':
          await this.authorize(conn, f.conv);
          // Typing and read receipts reach the shopper: writes, not for read-only roles.
          if (!conn.canWrite) throw new AppError(403, 'forbidden', 'your role does not allow this');
          return void this.s.bus.publish(chatChannel, {
            k: 'typing',
            ws: conn.workspaceId,
            conv: f.conv,
            from: conn.kind,
            name: conn.sender.name,
            on: f.on,
            src: conn.id,
          } satisfies ChatBusMessage);
        case 'read':
          await this.authorize(conn, f.conv);
          if (!conn.canWrite) throw new AppError(403, 'forbidden', 'your role does not allow this');
          await assertWritesAllowed(this.s);
          return await markRead(this.s, conn.workspaceId, f.conv, conn.kind, f.seq);
      }
    } catch (err) {
      this.frameFailed(conn, f, err);
    }
  }

  /** A frame refused (an AppError: its code, with the frame's `cid` and `conv`) or failed (`internal`). */
  private frameFailed(conn: Conn, f: ClientFrame, err: unknown): void {
    const cid = f.t === 'send' ? f.cid : undefined;
    const conv = 'conv' in f ? f.conv : undefined;
    if (err instanceof AppError)
      return this.error(conn, err.code, err.message, { ...(cid ? { cid } : {}), ...(conv ? { conv } : {}) });
    this.s.log.error({ err }, 'realtime frame failed');
    this.error(conn, 'internal', 'internal error; try again', cid ? { cid } : {});
  }

  private async subscribeOrRefuse(conn: Conn, conv: string, seq: number): Promise<void> {
    try {
      await this.subscribe(conn, conv, seq);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.error(conn, err.code, err.message, { conv });
    }
  }

  /** Checks that the conversation belongs to this agent's workspace or this shopper (another tab's included). */
  async authorize(conn: Conn, conv: string): Promise<void> {
    if (conn.allowed.has(conv)) return;
    if (conn.kind === 'agent') await getConversationRow(this.s, conn.workspaceId, conv);
    else if (!(await isCustomersConversation(this.s, conn.workspaceId, conn.sender.id, conv)))
      throw new AppError(404, 'unknown_conversation', 'no such conversation');
    conn.allowed.add(conv);
  }

  async subscribe(conn: Conn, conv: string, fromSeq: number): Promise<void> {
    await this.authorize(conn, conv);
    const seq = await this.fanout.subscribe(conn, conv, fromSeq);
    if (seq !== undefined) this.send(conn, { t: 'synced', conv, seq });
    // A shopper back on a waiting conversation learns their place without waiting for a change.
    if (conn.kind === 'customer') this.queueNotices.subscribed(conn, conv);
  }

  /**
   * Whether the connection's rights are fresh enough to act on: an agent's are read again
   * (`reauthorize`) once older than `recheckMs`; a session that ended or lost the right to read closes the socket.
   */
  private current(conn: Conn): boolean {
    return conn.kind !== 'agent' || Date.now() - conn.checkedAt < recheckMs;
  }

  /** Reads an agent's session and rights (a shopper's: whether they were erased) again; closes the socket when they are gone. */
  async reauthorize(conn: Conn): Promise<boolean> {
    if (!this.conns.has(conn) || (conn.kind === 'agent' && !conn.session)) return false;
    conn.checkedAt = Date.now();
    try {
      await readRightsAgain(this.s, conn);
      return true;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const code = err.status === 401 ? closeCodes.unauthorized : closeCodes.forbidden;
      this.closeWith(conn, code, err.code);
      return false;
    }
  }

  /** A delivered domain event from any node: the sockets of a user whose session may have changed are checked now. */
  private onEvent(e: DomainEvent): void {
    const user = sessionChangeOf(e);
    if (!user) return;
    // Shoppers are not in byUser (it lists agents, for presence): an erasure is rare enough to look through all.
    const conns =
      e.objectType === 'customer'
        ? [...this.conns].filter((c) => c.kind === 'customer' && c.sender.id === user)
        : [...(this.byUser.get(user) ?? [])];
    for (const c of conns)
      this.reauthorize(c).catch((err: unknown) => this.s.log.warn({ err }, 'realtime re-authorisation failed'));
  }

  private fromBus(b: ChatBusMessage): void {
    if (b.k === 'conv' || b.k === 'msg') {
      const id = b.k === 'conv' ? b.id : b.m.conv;
      if (this.watchers.get(b.ws)?.size) this.dirty.set(b.ws, (this.dirty.get(b.ws) ?? new Set()).add(id));
      if (b.k === 'conv') return;
    }
    if (b.k === 'msg') return this.fanout.fromBus(b.ws, { m: b.m, prevPublic: b.prevPublic, src: b.src });
    const conns = this.fanout.byConv.get(b.conv);
    if (!conns?.size) return;
    const frame = JSON.stringify(
      b.k === 'typing'
        ? { t: 'typing', conv: b.conv, from: b.from, name: b.from === 'agent' ? b.name : null, on: b.on }
        : { t: 'read', conv: b.conv, by: b.by, seq: b.seq },
    );
    for (const c of conns) if (c.workspaceId === b.ws && (b.k !== 'typing' || c.id !== b.src)) this.send(c, frame);
  }

  /** Sends changed inbox rows to agents watching their workspace, at most every 250 ms. */
  private async flushSummaries(): Promise<void> {
    const dirty = [...this.dirty];
    this.dirty.clear();
    for (const [ws, ids] of dirty) {
      const watchers = this.watchers.get(ws);
      if (!watchers?.size) continue;
      try {
        const [plain, masked] = await Promise.all([
          summaries(this.s, ws, [...ids], true),
          summaries(this.s, ws, [...ids], false),
        ]);
        for (const c of watchers) for (const sm of c.pii ? plain : masked) this.send(c, { t: 'conv', c: sm });
      } catch (err) {
        this.s.log.error({ err }, 'inbox summaries failed');
      }
    }
  }

  /** Agents connected here are "online" (users.last_active_at), which the widget reads across nodes. */
  private async touchAgents(ids?: string[]): Promise<void> {
    const list = ids ?? [...this.byUser.keys()];
    await touchPresence(this.s, list, this.s.clock.now()).catch((err: unknown) =>
      this.s.log.warn({ err }, 'presence update failed'),
    );
  }
}
