/**
 * The shopper's typing indicator as the agent sees it: `on` when typing starts and again at most
 * every 2.5 s while it goes on (so an agent who opens the conversation mid-sentence sees it), `off`
 * after 3 s without a keystroke, when the composer empties or the message is sent.
 */
export const typingRepeatMs = 2500;
export const typingIdleMs = 3000;

type Timers = { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void; now(): number };

export class TypingSignal {
  private readonly send: (on: boolean) => boolean;
  private readonly timers: Timers;
  private sentAt = 0;
  private idle: unknown = null;

  /** `send` returns false when it cannot send now (no conversation yet, offline). */
  constructor(send: (on: boolean) => boolean, timers: Timers) {
    this.send = send;
    this.timers = timers;
  }

  input(active: boolean): void {
    this.timers.clearTimeout(this.idle);
    this.idle = null;
    if (!active) return this.stop();
    if (this.timers.now() - this.sentAt >= typingRepeatMs && this.send(true)) this.sentAt = this.timers.now();
    this.idle = this.timers.setTimeout(() => this.stop(), typingIdleMs);
  }

  stop(): void {
    this.timers.clearTimeout(this.idle);
    this.idle = null;
    if (!this.sentAt) return;
    this.sentAt = 0;
    this.send(false);
  }
}
