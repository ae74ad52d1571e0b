/**
 * The shopper's place in routing's queue, from the server's `queue` frames: position and estimated
 * wait as told, and `offer` once they have waited the inbox's maximum (counted from the first
 * frame that put them in the queue on this page), when the panel offers a message or a callback.
 */
import type { ServerFrame } from '../../shared/realtime/protocol.ts';
import type { QueueState } from './snapshot.ts';

export type QueueFrame = Extract<ServerFrame, { t: 'queue' }>;
type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
};

/** The browser's timers, in the shape QueueWatch and TypingSignal take (tests pass a hand-driven clock). */
export const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class QueueWatch {
  private since: number | null = null;
  private timer: unknown;
  private state: QueueState | null = null;
  private readonly timers: Timers;
  private readonly changed: (state: QueueState | null) => void;

  constructor(timers: Timers, changed: (state: QueueState | null) => void) {
    this.timers = timers;
    this.changed = changed;
  }

  /**
   * A frame (position 0: an agent took the conversation; the watch resets). Only frames for the
   * shopper's current conversation count: one for an older conversation is stale.
   */
  frame(f: QueueFrame, current: string | null = null): void {
    if (current && f.conv !== current) return;
    this.timers.clearTimeout(this.timer);
    if (f.position <= 0) {
      this.since = null;
      this.state = null;
      return this.changed(null);
    }
    const now = this.timers.now();
    this.since ??= now;
    const offerAt = this.since + f.maxWaitSeconds * 1000;
    const offer = now >= offerAt;
    if (!offer)
      this.timer = this.timers.setTimeout(() => {
        if (!this.state) return;
        this.state = { ...this.state, offer: true };
        this.changed(this.state);
      }, offerAt - now);
    const { position, waitSeconds, maxWaitSeconds, notice } = f;
    this.state = { position, waitSeconds, maxWaitSeconds, notice, offer };
    this.changed(this.state);
  }
}
