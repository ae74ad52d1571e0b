/**
 * Queue positions for waiting shoppers: routing announces every change to a workspace's queue on
 * the bus (any node); each gateway reads the queue once per workspace at most every 250 ms and
 * sends `queue` frames to the shoppers connected to it whose conversation waits, or just stopped
 * waiting (position 0). Every 5 s the positions are sent again, so a shopper who connected after
 * the last change, and the estimated waits, stay current.
 */
import type { Services } from '../context.ts';
import { queueSnapshot, routingChannel, type RoutingBusMessage } from '../modules/routing/index.ts';
import type { Conn } from './connect.ts';

type Target = { byConv: Map<string, Set<Conn>>; send(conn: Conn, frame: string): void };

export class QueueNotices {
  private readonly dirty = new Map<string, number>(); // workspace → earliest change (ms) not yet sent
  private readonly waiting = new Map<string, Set<string>>(); // workspace → conversations last told they wait
  private timers: NodeJS.Timeout[] = [];
  private flushing = false;
  /** Milliseconds from a queue change to its frames leaving (the benchmark's queue-update latency). */
  readonly delays: number[] = [];

  private readonly s: Services;
  private readonly target: Target;

  constructor(s: Services, target: Target) {
    this.s = s;
    this.target = target;
  }

  async start(): Promise<() => Promise<void>> {
    const off = await this.s.bus.subscribe(routingChannel, (m) => {
      const b = m as RoutingBusMessage;
      if (!this.dirty.has(b.ws)) this.dirty.set(b.ws, b.at);
    });
    this.timers.push(setInterval(() => void this.flush(), 250));
    this.timers.push(
      setInterval(() => {
        for (const ws of this.waiting.keys()) if (!this.dirty.has(ws)) this.dirty.set(ws, Date.now());
      }, 5000),
    );
    for (const t of this.timers) t.unref();
    return async () => {
      for (const t of this.timers) clearInterval(t);
      await off();
    };
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.dirty.size) return;
    this.flushing = true;
    const dirty = [...this.dirty];
    this.dirty.clear();
    try {
      for (const [ws, since] of dirty) await this.flushWorkspace(ws, since);
    } catch (err) {
      this.s.log.warn({ err }, 'queue notices failed');
    } finally {
      this.flushing = false;
    }
  }

  private async flushWorkspace(ws: string, since: number): Promise<void> {
    const snap = await queueSnapshot(this.s, ws);
    const before = this.waiting.get(ws) ?? new Set<string>();
    const now = new Set<string>();
    const shoppers = (conv: string) => [...(this.target.byConv.get(conv) ?? [])].filter((c) => c.kind === 'customer');
    for (const [conv, q] of snap.positions) {
      const conns = shoppers(conv).filter((c) => c.workspaceId === ws);
      if (!conns.length) continue;
      now.add(conv);
      const frame = JSON.stringify({
        t: 'queue',
        conv,
        ...q,
        maxWaitSeconds: snap.maxWaitSeconds,
        notice: snap.notice,
      });
      for (const c of conns) this.target.send(c, frame);
    }
    for (const conv of before) {
      if (snap.positions.has(conv)) continue;
      const frame = JSON.stringify({ t: 'queue', conv, position: 0, waitSeconds: 0, maxWaitSeconds: 0, notice: '' });
      for (const c of shoppers(conv)) this.target.send(c, frame);
    }
    if (now.size) this.waiting.set(ws, now);
    else this.waiting.delete(ws);
    this.delays.push(Date.now() - since);
    if (this.delays.length > 10_000) this.delays.splice(0, 5000);
  }
}
