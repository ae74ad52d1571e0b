/**
 * The realtime gateway at /ws (protocol: src/shared/realtime.ts, docs/REALTIME.md).
 * Agents authenticate with their session cookie, shoppers with a widget token. Each client says
 * what it has seen per conversation; the gateway replays the rest from the database, then streams
 * live frames that arrive over the bus (so a shopper on node A and an agent on node B talk).
 * A client that reads too slowly is disconnected rather than buffered without bound: it
 * reconnects and resumes from the database, losing nothing.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { maxFrameBytes, type Message, type ServerFrame } from '../../shared/realtime/protocol.ts';
import { ClientFrame } from '../../shared/realtime/schema.ts';
import type { Services } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import {
  BusyError,
  chatChannel,
  checkPost,
  commitMessage,
  conversationForCustomer,
  getConversationRow,
  markRead,
  messagesAfter,
  prepareMessage,
  summaries,
  type ChatBusMessage,
} from '../modules/conversations/index.ts';
import { touchPresence } from '../modules/users/index.ts';
import { connectionFor, refusal, type Conn, type Sub } from './connect.ts';
import { realtimeMetrics } from './metrics.ts';

export const heartbeatMs = 25_000;
// Pinging 10,000 sockets at once blocks the event loop for ~100 ms: ping a slice each second instead.
const heartbeatSlices = 25;
const maxBufferedBytes = 1024 * 1024;
const replayPage = 500;

export class Gateway {
  private readonly s: Services;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  private readonly conns = new Set<Conn>();
  private readonly byConv = new Map<string, Set<Conn>>();
  private readonly watchers = new Map<string, Set<Conn>>();
  private readonly dirty = new Map<string, Set<string>>(); // workspace → conversations whose summary changed
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly metrics;

  constructor(s: Services) {
    this.s = s;
    this.metrics = realtimeMetrics(s.metrics, () => this.counts());
  }

  counts(): { agent: number; customer: number } {
    let agent = 0;
    for (const c of this.conns) if (c.kind === 'agent') agent++;
    return { agent, customer: this.conns.size - agent };
  }

  async start(server: Server): Promise<void> {
    this.unsubscribe = await this.s.bus.subscribe(chatChannel, (m) => this.fromBus(m as ChatBusMessage));
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') return;
      this.upgrade(req, socket, head).catch((err: unknown) => this.refuse(socket, err));
    });
    this.timers.push(setInterval(() => this.heartbeat(), heartbeatMs / heartbeatSlices));
    this.timers.push(setInterval(() => void this.flushSummaries(), 250));
    this.timers.push(setInterval(() => void this.touchAgents(), 30_000));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.unsubscribe?.();
    for (const c of this.conns) c.ws.close(1001, 'server restarting');
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
    if (conn.kind === 'agent') void this.touchAgents([conn.sender.id]);
    conn.ws.on('pong', () => (conn.alive = true));
    conn.ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.alive = true;
      conn.chain = conn.chain
        .then(() => this.onFrame(conn, data, isBinary))
        .catch((err: unknown) => this.s.log.error({ err }, 'realtime frame failed'));
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
    for (const conv of conn.subs.keys()) this.byConv.get(conv)?.delete(conn);
    this.watchers.get(conn.workspaceId)?.delete(conn);
  }

  /** Sends a frame (or a pre-serialised one); a client too far behind is cut off to resume later. */
  send(conn: Conn, frame: ServerFrame | string): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (conn.ws.bufferedAmount > maxBufferedBytes) {
      this.metrics.slowConsumers.inc();
      conn.ws.close(4008, 'too slow: reconnect and resume');
      this.close(conn);
      return;
    }
    conn.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  private error(
    conn: Conn,
    code: string,
    message: string,
    extra: { cid?: string; conv?: string; retryInMs?: number } = {},
  ): void {
    this.metrics.frameErrors.inc({ code });
    this.send(conn, { t: 'error', code, message, ...extra });
  }

  private async onFrame(conn: Conn, data: RawData, isBinary: boolean): Promise<void> {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(data.toString());
    } catch {
      return this.error(conn, 'invalid_frame', 'frames are JSON text');
    }
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const cid = typeof (raw as { cid?: unknown })?.cid === 'string' ? (raw as { cid: string }).cid : undefined;
      return this.error(
        conn,
        'invalid_frame',
        `${issue.path.join('.') || 'frame'}: ${issue.message}`,
        cid ? { cid } : {},
      );
    }
    const f = parsed.data;
    try {
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
          for (const [conv, seq] of Object.entries(f.subs)) await this.subscribe(conn, conv, seq);
          return;
        case 'sub':
          return await this.subscribe(conn, f.conv, f.lastSeq);
        case 'unsub':
          conn.subs.delete(f.conv);
          this.byConv.get(f.conv)?.delete(conn);
          return;
        case 'send':
          return await this.onSend(conn, f);
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
          return await markRead(this.s, conn.workspaceId, f.conv, conn.kind, f.seq);
      }
    } catch (err) {
      const cid = f.t === 'send' ? f.cid : undefined;
      const conv = 'conv' in f ? f.conv : undefined;
      if (err instanceof AppError)
        return this.error(conn, err.code, err.message, { ...(cid ? { cid } : {}), ...(conv ? { conv } : {}) });
      this.s.log.error({ err }, 'realtime frame failed');
      return this.error(conn, 'internal', 'internal error; try again', cid ? { cid } : {});
    }
  }

  /** Checks (once per connection) that the conversation belongs to this agent's workspace or this shopper. */
  private async authorize(conn: Conn, conv: string): Promise<void> {
    if (conn.allowed.has(conv)) return;
    if (conn.kind === 'agent') {
      await getConversationRow(this.s, conn.workspaceId, conv);
      conn.allowed.add(conv);
      return;
    }
    throw new AppError(404, 'unknown_conversation', 'no such conversation');
  }

  private async subscribe(conn: Conn, conv: string, fromSeq: number): Promise<void> {
    await this.authorize(conn, conv);
    // Registered before reading the database: anything committed meanwhile is buffered, then de-duplicated by seq.
    const sub = this.register(conn, conv, { lastSeq: fromSeq, replaying: true, buffer: [] });
    for (;;) {
      const page = await messagesAfter(this.s, conv, sub.lastSeq, replayPage, conn.kind === 'customer');
      for (const { m } of page) this.deliver(conn, sub, m, true);
      if (page.length < replayPage) break;
    }
    for (const m of sub.buffer.sort((a, b) => a.seq - b.seq)) this.deliver(conn, sub, m, true);
    sub.buffer = [];
    sub.replaying = false;
    this.send(conn, { t: 'synced', conv, seq: sub.lastSeq });
  }

  /** Makes `conn` a subscriber of `conv` (both indexes) with the given state. */
  private register(conn: Conn, conv: string, sub: Sub): Sub {
    conn.subs.set(conv, sub);
    this.byConv.set(conv, (this.byConv.get(conv) ?? new Set()).add(conn));
    return sub;
  }

  private deliver(conn: Conn, sub: Sub, m: Message, force = false, serialized?: string): void {
    if (sub.replaying && !force) {
      sub.buffer.push(m);
      return;
    }
    if (m.seq <= sub.lastSeq) return;
    sub.lastSeq = m.seq;
    this.send(conn, serialized ?? { t: 'msg', m });
  }

  private async onSend(conn: Conn, f: Extract<ClientFrame, { t: 'send' }>): Promise<void> {
    if (!conn.canWrite) throw new AppError(403, 'forbidden', 'your role does not allow this');
    const post = { clientId: f.cid, kind: f.kind, body: f.body, attachments: f.attachments };
    checkPost(conn.sender, post);
    let conv = f.conv;
    if (!conv) {
      if (conn.kind !== 'customer') throw new AppError(400, 'invalid_frame', 'conv: required');
      const row = (await conversationForCustomer(this.s, conn.workspaceId, conn.inboxId!, conn.sender.id, true))!;
      conv = row.id;
      if (!conn.allowed.has(conv)) {
        conn.allowed.add(conv);
        this.register(conn, conv, { lastSeq: 0, replaying: false, buffer: [] }); // new: nothing to replay
      }
    }
    await this.authorize(conn, conv);
    const pending = await prepareMessage(this.s, conn.sender, conv, post);
    // Not awaited: the next frame of this connection is prepared while this one commits, in order.
    commitMessage(this.s, pending, conn.id).then(
      (ack) =>
        this.send(conn, {
          t: 'ack',
          cid: ack.cid,
          conv: ack.conv,
          id: ack.id,
          seq: ack.seq,
          at: ack.at,
          ...(ack.duplicate ? { duplicate: true } : {}),
        }),
      (err: unknown) => {
        if (err instanceof BusyError)
          this.error(conn, err.code, err.message, { cid: f.cid, conv, retryInMs: err.retryInMs });
        else if (err instanceof AppError) this.error(conn, err.code, err.message, { cid: f.cid, conv });
        else {
          this.s.log.error({ err }, 'message commit failed');
          this.error(conn, 'not_stored', 'the message was not stored; send it again', { cid: f.cid, conv });
        }
      },
    );
  }

  private fromBus(b: ChatBusMessage): void {
    if (b.k === 'conv' || b.k === 'msg') {
      const id = b.k === 'conv' ? b.id : b.m.conv;
      if (this.watchers.get(b.ws)?.size) this.dirty.set(b.ws, (this.dirty.get(b.ws) ?? new Set()).add(id));
      if (b.k === 'conv') return;
    }
    const conns = this.byConv.get(b.k === 'msg' ? b.m.conv : b.conv);
    if (!conns?.size) return;
    if (b.k === 'msg') {
      const serialized = JSON.stringify({ t: 'msg', m: b.m } satisfies ServerFrame);
      for (const c of conns) {
        if (c.workspaceId !== b.ws || (c.kind === 'customer' && b.m.kind === 'note')) continue;
        const sub = c.subs.get(b.m.conv);
        if (sub) this.deliver(c, sub, b.m, false, serialized);
      }
      return;
    }
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

  private pingQueue: Conn[] = [];
  private pingSlice = 0;

  /** Each call pings 1/heartbeatSlices of the connections; each connection once per heartbeatMs. */
  private heartbeat(): void {
    if (!this.pingQueue.length) {
      this.pingQueue = [...this.conns];
      this.pingSlice = Math.ceil(this.pingQueue.length / heartbeatSlices);
    }
    for (const c of this.pingQueue.splice(0, this.pingSlice)) {
      if (!this.conns.has(c)) continue;
      // Not a word since its last ping, a full interval ago: the connection is dead.
      if (!c.alive) {
        c.ws.terminate();
        this.close(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  /** Agents connected here are "online" (users.last_active_at), which the widget reads across nodes. */
  private async touchAgents(ids?: string[]): Promise<void> {
    const list = ids ?? [...new Set([...this.conns].filter((c) => c.kind === 'agent').map((c) => c.sender.id))];
    await touchPresence(this.s, list, this.s.clock.now()).catch((err: unknown) =>
      this.s.log.warn({ err }, 'presence update failed'),
    );
  }
}
