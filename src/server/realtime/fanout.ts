/**
 * Per-subscription ordered delivery (docs/REALTIME.md, "How it works inside").
 *
 * Messages reach a node over the bus, and with several nodes the bus does not keep a
 * conversation's order: node A's publish of seq 8 can overtake node B's publish of seq 7. Each
 * subscription therefore keeps a cursor, the last seq it has handled (notes included, even for a
 * shopper who is not sent them), and delivers strictly in seq order: a message past the next
 * seq is held, and when the gap is still open after `holdMs` the missing messages are read from
 * the database (a bus message is published only after its commit, and seqs are given in commit
 * order, so everything below a seq that arrived is already stored). The cursor never moves past
 * a seq that was not handled.
 *
 * A replay registers the subscription first and buffers live messages meanwhile; it is paced by
 * the socket's drain (a normally reading client is never cut off for the size of its history).
 */
import type { ServerFrame } from '../../shared/realtime/protocol.ts';
import type { Services } from '../context.ts';
import { lastSeqOf, messagesAfter, messagesBetween, type ChatEntry } from '../modules/conversations/index.ts';
import type { Conn } from './connect.ts';

/** A live message as the gateway handles it: the bus message and its frames, serialised once per audience. */
export type Entry = ChatEntry & { src?: string; agentFrame?: string; customerFrame?: string };

export type Sub = {
  conv: string;
  /** The last seq handled, in order (delivered, or skipped as a note for a shopper or as the sender's own). */
  cursor: number;
  replaying: boolean;
  buffer: Entry[];
  held: Map<number, Entry>;
  gapTimer: NodeJS.Timeout | undefined;
  filling: boolean;
};

export type FanoutOptions = {
  /** How long an out-of-order message waits for the ones before it before they are read from the database. */
  holdMs: number;
  replayPage: number;
  /** A replay waits while more than this is buffered in the socket. */
  replayHighWater: number;
  send(conn: Conn, frame: ServerFrame | string, replay?: boolean): void;
  /** Counted: gaps filled from the database. */
  gapFilled(): void;
};

const fillPage = 500;

export class Fanout {
  readonly byConv = new Map<string, Set<Conn>>();

  private readonly s: Services;
  private readonly o: FanoutOptions;

  constructor(s: Services, o: FanoutOptions) {
    this.s = s;
    this.o = o;
  }

  /**
   * Subscribes `conn` to `conv` from `fromSeq` (the access check is the caller's): replays what
   * is stored after it, then streams live. Resolves with the seq `synced` reports: the
   * conversation's last seq, also when the client claimed more (a database restored from an
   * older backup), or undefined when the subscription was replaced or ended meanwhile.
   */
  async subscribe(conn: Conn, conv: string, fromSeq: number): Promise<number | undefined> {
    this.unsubscribe(conn, conv);
    const sub: Sub = {
      conv,
      cursor: 0,
      replaying: true,
      buffer: [],
      held: new Map(),
      gapTimer: undefined,
      filling: false,
    };
    conn.subs.set(conv, sub);
    let set = this.byConv.get(conv);
    if (!set) this.byConv.set(conv, (set = new Set()));
    set.add(conn);
    const current = () => conn.subs.get(conv) === sub && conn.ws.readyState === conn.ws.OPEN;
    conn.replays++;
    try {
      // Read before the messages: every message up to it is stored, so the pages below see it.
      const last = await lastSeqOf(this.s, conn.workspaceId, conv);
      let after = Math.min(fromSeq, last);
      for (;;) {
        if (!current()) return undefined;
        const page = await messagesAfter(this.s, conv, after, this.o.replayPage, conn.kind === 'customer');
        for (const cm of page) {
          if (!current()) return undefined;
          this.o.send(conn, { t: 'msg', ...cm }, true);
          after = cm.m.seq;
          if (conn.ws.bufferedAmount > this.o.replayHighWater) await this.drained(conn);
        }
        if (page.length < this.o.replayPage) break;
      }
      if (!current()) return undefined;
      sub.cursor = Math.max(after, last);
    } finally {
      conn.replays--;
    }
    sub.replaying = false;
    const buffered = sub.buffer.sort((a, b) => a.m.seq - b.m.seq);
    sub.buffer = [];
    for (const e of buffered) this.arrive(conn, sub, e);
    return sub.cursor;
  }

  unsubscribe(conn: Conn, conv: string): void {
    const sub = conn.subs.get(conv);
    if (!sub) return;
    for (const k of conn.ownCids) if (k.startsWith(`${conv}:`)) conn.ownCids.delete(k);
    clearTimeout(sub.gapTimer);
    conn.subs.delete(conv);
    const set = this.byConv.get(conv);
    set?.delete(conn);
    if (set?.size === 0) this.byConv.delete(conv);
  }

  /** Forgets a closed connection. */
  drop(conn: Conn): void {
    for (const conv of [...conn.subs.keys()]) this.unsubscribe(conn, conv);
  }

  /** A message from the bus, for every local subscriber of its conversation in its workspace. */
  fromBus(workspaceId: string, e: Entry): void {
    const conns = this.byConv.get(e.m.conv);
    if (!conns) return;
    for (const c of conns) {
      if (c.workspaceId !== workspaceId) continue;
      const sub = c.subs.get(e.m.conv);
      if (sub) this.arrive(c, sub, e);
    }
  }

  /** Delivers in order: the next seq at once (then what it unblocks), a later one after the gap is filled. */
  arrive(conn: Conn, sub: Sub, e: Entry): void {
    if (sub.replaying) {
      sub.buffer.push(e);
      return;
    }
    const seq = e.m.seq;
    if (seq <= sub.cursor) return;
    if (seq !== sub.cursor + 1) {
      sub.held.set(seq, e);
      if (!sub.gapTimer && !sub.filling)
        sub.gapTimer = setTimeout(() => void this.fill(conn, sub), this.o.holdMs).unref();
      return;
    }
    this.emit(conn, sub, e);
    this.drain(conn, sub);
  }

  private emit(conn: Conn, sub: Sub, e: Entry): void {
    sub.cursor = e.m.seq;
    // The sender has its ack (a message filled from the database has no `src`: its cid was noted).
    const own = e.m.sender.id === conn.sender.id && conn.ownCids.delete(`${sub.conv}:${e.m.cid}`);
    if (own || e.src === conn.id) return;
    if (conn.kind === 'customer') {
      if (e.m.kind === 'note') return;
      e.customerFrame ??= JSON.stringify(
        e.prevPublic === null ? { t: 'msg', m: e.m } : { t: 'msg', m: e.m, prev: e.prevPublic },
      );
      this.o.send(conn, e.customerFrame);
    } else {
      e.agentFrame ??= JSON.stringify({ t: 'msg', m: e.m });
      this.o.send(conn, e.agentFrame);
    }
  }

  /** Delivers the held messages that now follow the cursor; forgets those below it. */
  private drain(conn: Conn, sub: Sub): void {
    if (!sub.held.size) return;
    for (let next = sub.held.get(sub.cursor + 1); next; next = sub.held.get(sub.cursor + 1)) {
      sub.held.delete(next.m.seq);
      this.emit(conn, sub, next);
    }
    for (const seq of sub.held.keys()) if (seq <= sub.cursor) sub.held.delete(seq);
    if (!sub.held.size) {
      clearTimeout(sub.gapTimer);
      sub.gapTimer = undefined;
    } else if (!sub.gapTimer && !sub.filling) {
      sub.gapTimer = setTimeout(() => void this.fill(conn, sub), this.o.holdMs).unref();
    }
  }

  /** Reads the messages missing before the first held one from the database, in order. */
  private async fill(conn: Conn, sub: Sub): Promise<void> {
    sub.gapTimer = undefined;
    if (sub.filling || conn.subs.get(sub.conv) !== sub) return;
    sub.filling = true;
    try {
      while (sub.held.size && conn.subs.get(sub.conv) === sub) {
        const before = Math.min(...sub.held.keys());
        if (before === sub.cursor + 1) break;
        this.o.gapFilled();
        const rows = await messagesBetween(this.s, sub.conv, sub.cursor, before, fillPage);
        for (const r of rows) if (r.m.seq > sub.cursor) this.emit(conn, sub, r);
        // Fewer rows than seqs: the rest are gone (erased); the held message is next.
        if (rows.length < fillPage && sub.cursor < before - 1) sub.cursor = before - 1;
        this.drain(conn, sub);
      }
    } catch (err) {
      this.s.log.warn({ err, conv: sub.conv }, 'realtime gap fill failed; retried');
    } finally {
      sub.filling = false;
    }
    if (sub.held.size && conn.subs.get(sub.conv) === sub) this.drain(conn, sub);
  }

  /** Resolves when the socket's buffer is below the high-water mark (or the socket is gone). */
  private async drained(conn: Conn): Promise<void> {
    while (conn.ws.readyState === conn.ws.OPEN && conn.ws.bufferedAmount > this.o.replayHighWater / 2)
      await new Promise((r) => setTimeout(r, 5));
  }
}
