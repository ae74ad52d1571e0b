/**
 * When the outbox's entries are written: each once per connection, in order, again on every new
 * connection (same cid), and after the pause the server asks for when it refuses one as `busy` or
 * `rate_limited`. The entries themselves (what to show, what to keep across page loads) are in
 * outbox.ts; this is the per-connection bookkeeping next to them.
 */
import { backoffDelay, backoffMaxMs } from './backoff.ts';
import { Outbox, sendFrame } from './outbox.ts';
import type { SendFrame } from './protocol.ts';

type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
};

/** Per entry: written on the current connection already, refusals so far, and the pending pause. */
type Meta = { written: boolean; attempts: number; timer: unknown };

export class SendQueue {
  readonly outbox = new Outbox();
  private readonly meta = new Map<string, Meta>();
  private readonly timers: Timers;
  /** Called when a pause is over: the owner flushes. */
  private readonly wake: () => void;

  constructor(timers: Timers, wake: () => void) {
    this.timers = timers;
    this.wake = wake;
  }

  /**
   * Writes what can go now, in order: skipping failed entries, stopping at one that waits out a
   * pause (so what follows keeps its order), and after a send that has yet to learn its
   * conversation (two quick first messages would otherwise start two conversations).
   */
  flush(write: (frame: SendFrame) => boolean): void {
    for (const e of this.outbox.all()) {
      if (e.state === 'failed') continue;
      const m = this.metaFor(e.cid);
      if (m.timer !== null) break;
      if (!m.written) m.written = write(sendFrame(e));
      if (!e.conv) break;
    }
  }

  /** The server refused `cid` for now: write it again after `retryInMs`, or after a growing back-off. */
  pause(cid: string, retryInMs: number | undefined): void {
    const m = this.metaFor(cid);
    m.written = false;
    const ms =
      retryInMs !== undefined && retryInMs >= 0
        ? Math.min(retryInMs, backoffMaxMs * 2)
        : backoffDelay(m.attempts, this.timers.random);
    m.attempts++;
    this.clear(m);
    m.timer = this.timers.setTimeout(() => {
      m.timer = null;
      this.wake();
    }, ms);
  }

  /** A new connection: everything goes out again, without waiting out pauses the old one asked for. */
  reset(): void {
    for (const m of this.meta.values()) {
      m.written = false;
      this.clear(m);
    }
  }

  /** The entry left the outbox, failed, or is retried by the user: start afresh. */
  forget(cid: string): void {
    const m = this.meta.get(cid);
    if (m) this.clear(m);
    this.meta.delete(cid);
  }

  stop(): void {
    for (const m of this.meta.values()) this.clear(m);
  }

  private clear(m: Meta): void {
    if (m.timer !== null) this.timers.clearTimeout(m.timer);
    m.timer = null;
  }

  private metaFor(cid: string): Meta {
    let m = this.meta.get(cid);
    if (!m) this.meta.set(cid, (m = { written: false, attempts: 0, timer: null }));
    return m;
  }
}
