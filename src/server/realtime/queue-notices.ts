/**
 * Queue positions for waiting shoppers: routing announces every change to a workspace's queue on
 * the bus (any node); each gateway reads the queue once per workspace at most every 250 ms (one
 * read of the queue's index, however many arrivals came meanwhile) and sends `queue` frames to
 * the shoppers connected to it whose position, estimated wait or terms (notice and maximum wait,
 * from their inbox's rule) changed, or who just stopped waiting (position 0). A burst that only
 * lengthens the queue tells only the newcomers; when the head moves, everyone behind is told, but a
 * shopper far from the head at most every `paceMs` (they still learn of a change within a second).
 * Every 5 s the queue is read again, so a shopper who connected after the last change, and
 * drifting estimates, are caught up. A chat
 * routing assigns (the bus message names it) is told position 0 at once, waiting or not: that is
 * how a shopper learns an agent has them. Every frame carries `changedAt`, the server time of the
 * change it reports (the first one not yet told), so a client can measure the delay.
 */
import type { Services } from '../context.ts';
import {
  queueSnapshot,
  routingChannel,
  shopperBack,
  shopperGone,
  type QueueEntry,
  type QueueTerms,
  type RoutingBusMessage,
} from '../modules/routing/index.ts';
import type { Conn } from './connect.ts';

type Target = { byConv: Map<string, Set<Conn>>; send(conn: Conn, frame: string): void };
/** What a connection was last told, when, and since when it has a change not yet sent. */
type Told = {
  conv: string;
  key: string;
  position: number;
  waitSeconds: number | null;
  at: number;
  pendingSince: number | null;
};

const flushMs = 200;
/** How long an assignment is remembered for a shopper who subscribes just after it, and how many at most. */
const recentMs = 60_000;
const recentMax = 100_000;
/** A shopper more than `nearHead` places from the head gets a position change at most this often. */
export const paceMs = 500;
const nearHead = 5;

/** An estimate moves the frame only when it changes by at least 15 s and 20 %. */
function waitMoved(before: number | null, after: number | null): boolean {
  if (before === null || after === null) return before !== after;
  const d = Math.abs(after - before);
  return d >= 15 && d >= 0.2 * Math.max(before, after);
}

export class QueueNotices {
  private readonly dirty = new Map<string, number>(); // workspace → earliest change (ms) not yet read
  /** Workspaces with shoppers whose change was held back by pacing: flushed again, without a new change time. */
  private readonly held = new Set<string>();
  private readonly waiting = new Map<string, Set<string>>(); // workspace → conversations last seen waiting
  private readonly told = new WeakMap<Conn, Told>();
  /**
   * Chats assigned in the last minute (conversation → workspace and time): a shopper's first
   * message creates the conversation, and routing may assign it before the sending connection is
   * subscribed to it; the subscription then hears position 0 (`subscribed`).
   */
  private readonly recent = new Map<string, { ws: string; at: number }>();
  private timers: NodeJS.Timeout[] = [];
  private flushing = false;
  private pacedNow = 0;
  /** Per frame sent: milliseconds from the queue change it reports to the frame leaving (the benchmark's figure). */
  readonly delays: number[] = [];
  /** Frames sent, and changes held back by pacing (the benchmark reports both). */
  readonly counts = { frames: 0, paced: 0, flushes: 0 };

  private readonly s: Services;
  private readonly target: Target;

  constructor(s: Services, target: Target) {
    this.s = s;
    this.target = target;
  }

  async start(): Promise<() => Promise<void>> {
    const off = await this.s.bus.subscribe(routingChannel, (m) => {
      const b = m as RoutingBusMessage;
      if (b.gone) return this.goneElsewhere(b.ws, b.gone);
      if (!this.dirty.has(b.ws)) this.dirty.set(b.ws, b.at);
      if (b.assigned) this.assigned(b.ws, b.assigned, b.at);
    });
    this.timers.push(setInterval(() => void this.flush(), flushMs));
    this.timers.push(
      setInterval(() => {
        for (const ws of this.waiting.keys()) if (!this.dirty.has(ws)) this.dirty.set(ws, Date.now());
        const old = Date.now() - recentMs;
        for (const [conv, r] of this.recent) {
          if (r.at >= old) break; // in insertion order, i.e. by time
          this.recent.delete(conv);
        }
      }, 5000),
    );
    for (const t of this.timers) t.unref();
    return async () => {
      for (const t of this.timers) clearInterval(t);
      await off();
    };
  }

  /** A shopper (re)connected to a conversation of this workspace: tell them their place at the next flush. */
  touch(ws: string): void {
    if (!this.dirty.has(ws)) this.dirty.set(ws, Date.now());
  }

  /** A shopper subscribed to `conv`: `touch`, and if routing assigned it just before, position 0 now. */
  subscribed(c: Conn, conv: string): void {
    this.touch(c.workspaceId);
    // Back on a waiting conversation (a reload, a new tab): a pending abandonment check lets it be.
    if (this.waiting.get(c.workspaceId)?.has(conv)) this.routing(shopperBack(this.s, c.workspaceId, conv));
    const r = this.recent.get(conv);
    if (r && r.ws === c.workspaceId) this.tellAssigned(c, conv, r.at, Date.now());
  }

  /**
   * A shopper's connection closed: for each waiting conversation it followed that no other
   * connection on this node follows, routing starts the abandonment grace period.
   */
  closed(c: Conn, convs: Iterable<string>): void {
    const waiting = this.waiting.get(c.workspaceId);
    if (!waiting) return;
    for (const conv of convs) {
      if (!waiting.has(conv)) continue;
      const others = [...(this.target.byConv.get(conv) ?? [])].some((o) => o.kind === 'customer' && o !== c);
      if (!others) this.routing(shopperGone(this.s, c.workspaceId, conv));
    }
  }

  /**
   * A node (maybe this one) saw a waiting shopper's last connection to `conv` there close: if one
   * of theirs here still follows it (another tab, another node), they are back, not gone. The node
   * that sent it has none left (`closed` checked), so it does nothing.
   */
  private goneElsewhere(ws: string, conv: string): void {
    const here = [...(this.target.byConv.get(conv) ?? [])].some((o) => o.kind === 'customer' && o.workspaceId === ws);
    if (here) this.routing(shopperBack(this.s, ws, conv));
  }

  private routing(p: Promise<void>): void {
    p.catch((err: unknown) => this.s.log.warn({ err }, 'routing shopper presence failed'));
  }

  /** Chats routing just assigned: their shoppers on this node hear position 0 now, not at the next flush. */
  private assigned(ws: string, convs: string[], at: number): void {
    const now = Date.now();
    for (const conv of convs) {
      this.recent.delete(conv);
      this.recent.set(conv, { ws, at });
      for (const c of this.target.byConv.get(conv) ?? []) if (c.workspaceId === ws) this.tellAssigned(c, conv, at, now);
    }
    if (this.recent.size > recentMax)
      for (const conv of [...this.recent.keys()].slice(0, recentMax / 2)) this.recent.delete(conv);
  }

  private tellAssigned(c: Conn, conv: string, at: number, now: number): void {
    if (c.kind !== 'customer' || this.toldAssigned(c, conv)) return;
    this.send(c, leftFrame(conv, at), { conv, key: '', position: 0, waitSeconds: 0, at: now, pendingSince: at }, now);
  }

  private toldAssigned(c: Conn, conv: string): boolean {
    const last = this.told.get(c);
    return last?.conv === conv && last.position === 0;
  }

  private async flush(): Promise<void> {
    if (this.flushing || (!this.dirty.size && !this.held.size)) return;
    this.flushing = true;
    const work: [string, number | null][] = [...this.dirty];
    for (const ws of this.held) if (!this.dirty.has(ws)) work.push([ws, null]);
    this.dirty.clear();
    this.held.clear();
    try {
      for (const [ws, since] of work) await this.flushWorkspace(ws, since ?? Date.now());
    } catch (err) {
      this.s.log.warn({ err }, 'queue notices failed');
    } finally {
      this.flushing = false;
    }
  }

  private send(c: Conn, frame: string, told: Told, now: number): void {
    this.target.send(c, frame);
    this.told.set(c, { ...told, pendingSince: null });
    this.counts.frames++;
    this.delays.push(now - (told.pendingSince ?? now));
    if (this.delays.length > 100_000) this.delays.splice(0, 50_000);
  }

  private async flushWorkspace(ws: string, since: number): Promise<void> {
    const readAt = Date.now();
    const snap = await queueSnapshot(this.s, ws);
    const now = Date.now();
    this.counts.flushes++;
    const before = this.waiting.get(ws) ?? new Set<string>();
    const seen = new Set<string>();
    this.pacedNow = 0;
    // Each shopper's terms are their inbox's rule's: one frame tail per rule, not per shopper.
    const tails = new Map<QueueTerms, string>();
    const tailOf = ({ maxWaitSeconds, notice }: QueueTerms) =>
      `,"maxWaitSeconds":${maxWaitSeconds},"notice":${JSON.stringify(notice)}}`;
    for (const [conv, q] of snap.positions) {
      seen.add(conv);
      // Waiting again (reopened, put back) since it was assigned: no longer "just assigned".
      if (this.recent.size && (this.recent.get(conv)?.at ?? Infinity) < readAt) this.recent.delete(conv);
      const conns = this.target.byConv.get(conv);
      if (!conns) continue;
      let tail = tails.get(q.terms);
      if (tail === undefined) tails.set(q.terms, (tail = tailOf(q.terms)));
      for (const c of conns) this.tell(c, ws, conv, q, tail, since, now, readAt);
    }
    for (const conv of before) {
      if (snap.positions.has(conv)) continue;
      const frame = leftFrame(conv, since);
      for (const c of this.target.byConv.get(conv) ?? [])
        if (c.kind === 'customer' && c.workspaceId === ws && !this.toldAssigned(c, conv))
          this.send(c, frame, { conv, key: '', position: 0, waitSeconds: 0, at: now, pendingSince: since }, now);
    }
    // Changes held back by pacing go out at a later flush even if the queue does not change again.
    // Each held shopper keeps the time of their own first unsent change; the workspace's next
    // change time comes from the next announcement (re-using this flush's `since` here would date
    // every later change back to it: the cause of the 2–8 s "delays" measured before).
    if (this.pacedNow) this.held.add(ws);
    if (seen.size) this.waiting.set(ws, seen);
    else this.waiting.delete(ws);
  }

  private tell(
    c: Conn,
    ws: string,
    conv: string,
    q: QueueEntry,
    tail: string,
    since: number,
    now: number,
    readAt: number,
  ): void {
    if (c.kind !== 'customer' || c.workspaceId !== ws) return;
    const last = this.told.get(c);
    // Told "assigned" after this snapshot was read: the snapshot is older than what they know.
    if (last && this.toldAssigned(c, conv) && last.at >= readAt) return;
    const changed =
      !last ||
      last.key !== tail ||
      last.position !== q.position ||
      (last.waitSeconds !== q.waitSeconds && waitMoved(last.waitSeconds, q.waitSeconds));
    if (!changed) return;
    const pendingSince = last?.pendingSince ?? since;
    if (last && q.position > nearHead && now - last.at < paceMs) {
      // Held back: sent at a later flush, its delay counted from this change.
      if (last.pendingSince === null) this.told.set(c, { ...last, pendingSince });
      this.counts.paced++;
      this.pacedNow++;
      return;
    }
    const frame = `{"t":"queue","conv":${JSON.stringify(conv)},"position":${q.position},"waitSeconds":${q.waitSeconds ?? 'null'},"changedAt":${pendingSince}${tail}`;
    this.send(
      c,
      frame,
      { conv, key: tail, position: q.position, waitSeconds: q.waitSeconds, at: now, pendingSince },
      now,
    );
  }
}

/** Position 0: no longer waiting (an agent has the conversation); `changedAt` as on every queue frame. */
const leftFrame = (conv: string, changedAt: number) =>
  JSON.stringify({ t: 'queue', conv, position: 0, waitSeconds: 0, maxWaitSeconds: 0, notice: '', changedAt });
