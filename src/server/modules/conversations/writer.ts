/**
 * The message write path. Messages are acknowledged only after they are committed, and they are
 * committed in small groups: whatever arrived while the previous commit ran (up to `maxBatch`),
 * or after at most `maxDelayMs`, goes into one transaction, so one durable commit serves many
 * messages. What a commit does to the batch is decided by the storage rules (`commit-rules.ts`),
 * the same on both engines.
 *
 * The queue is bounded (messages and approximate bytes per node, messages per sender
 * connection): past a bound `submit` refuses at once with `BusyError` (`busy`, retryable after
 * `retryInMs`) instead of holding ever more messages in memory while the database falls behind.
 */
import { AppError } from '../../lib/errors.ts';
import type { AttachmentMeta } from './attachments.ts';

export type PendingMessage = {
  workspaceId: string;
  conversationId: string;
  clientId: string | null;
  senderType: 'customer' | 'agent' | 'system' | 'bot';
  senderId: string | null;
  senderName: string | null;
  kind: 'text' | 'note' | 'image' | 'file' | 'system';
  body: string;
  attachments: AttachmentMeta[];
  createdAt: string;
  id: string;
};

export type CommitResult =
  | {
      ok: true;
      id: string;
      seq: number;
      /** The seq of the public message before this one (what a shopper's `prev` is); null for rows written before it was kept. */
      prev: number | null;
      createdAt: string;
      duplicate: boolean;
      /** This message reopened its (resolved or snoozed) conversation. */
      reopened: boolean;
      /** Events written with the message (delivered after the commit). */
      eventIds: string[];
    }
  | { ok: false; code: 'unknown_conversation' | 'cid_conflict'; message: string };

/** Commits a batch in one transaction; results in the batch's order. */
export type MessageStore = { commit(batch: PendingMessage[]): Promise<CommitResult[]>; close(): Promise<void> };

export type WriterLimits = {
  /** Messages waiting for their commit on this node (queued or being committed). */
  maxQueued: number;
  /** Their approximate size in memory, bytes. */
  maxQueuedBytes: number;
  /** Messages of one sender connection (`submit`'s key) waiting at once. */
  maxQueuedPerKey: number;
  /**
   * How long a new message would wait for its commit (the batches ahead × a recent commit's
   * duration): a slow database or a starved process makes the count bound hours of latency,
   * this keeps it to about this long. Applies once a full batch is waiting.
   */
  maxQueueDelayMs: number;
};

/**
 * About 2 s of the writer's throughput on the development machine, 32 MiB, and far more than a
 * person types (a reconnecting client resends its whole outbox at once).
 */
export const defaultWriterLimits: WriterLimits = {
  maxQueued: 10_000,
  maxQueuedBytes: 32 << 20,
  maxQueuedPerKey: 200,
  maxQueueDelayMs: 2000,
};

/** The writer is full: nothing was stored; send the same message again after `retryInMs`. */
export class BusyError extends AppError {
  readonly retryInMs: number;
  readonly reason: 'node' | 'bytes' | 'sender' | 'delay';
  constructor(reason: BusyError['reason'], retryInMs: number) {
    super(
      503,
      'busy',
      reason === 'sender'
        ? 'too many of your messages are waiting to be stored; send again shortly'
        : 'the server is busy storing messages; send again shortly',
      { retryInMs },
    );
    this.reason = reason;
    this.retryInMs = retryInMs;
  }
}

/**
 * A BusyError without a stack trace: refusals come in floods (a client resending its outbox, a
 * database stall), and capturing a deep async stack for each made refusing costlier than queueing.
 */
function busy(reason: BusyError['reason'], retryInMs: number): BusyError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new BusyError(reason, retryInMs);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Messages resolved between two yields to the event loop after a commit. */
const resolveSlice = 64;

// Strings are UTF-16 in memory; the rest (ids, names, the promise and its closures) is about this much.
const overheadBytes = 600;
export const approxBytes = (m: PendingMessage): number =>
  overheadBytes + 2 * (m.body.length + m.attachments.reduce((n, a) => n + a.name.length + a.mime.length + 60, 0));

export type WriterOptions = {
  maxBatch?: number;
  maxDelayMs?: number;
  /**
   * The least time from one commit's start to the next while less than a full batch waits (0: none).
   * On SQLite a commit writes every page it touched once, so a larger batch costs less per message.
   */
  paceMs?: number;
  limits?: Partial<WriterLimits>;
  observe?: (size: number, seconds: number) => void;
  refused?: (reason: BusyError['reason']) => void;
  /** Test-only (the crash tests): called after a batch committed, before anyone hears of it. */
  afterCommit?: (results: CommitResult[]) => void;
};

type Entry = {
  m: PendingMessage;
  key: string;
  bytes: number;
  /** When it was queued (performance.now()). */
  at: number;
  resolve: (r: CommitResult) => void;
  reject: (e: unknown) => void;
};

export class MessageWriter {
  private queue: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private storeOrFactory: MessageStore | (() => MessageStore);
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly paceMs: number;
  private readonly limits: WriterLimits;
  private readonly opts: WriterOptions;
  private waiting = 0; // queued or being committed
  private waitingBytes = 0;
  private readonly perKey = new Map<string, number>();
  // A recent commit's duration (moving average): how long the messages ahead of a refused one need.
  private commitMs = 5;
  // When the last commit started (performance.now()): pacing counts from it.
  private lastCommitAt = -Infinity;

  /** `store` may be a factory: the store (e.g. a worker thread) is then created on the first message. */
  constructor(store: MessageStore | (() => MessageStore), opts: WriterOptions = {}) {
    this.storeOrFactory = store;
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 2;
    this.paceMs = opts.paceMs ?? 0;
    this.limits = { ...defaultWriterLimits, ...opts.limits };
    this.opts = opts;
  }

  /** Messages (and their approximate bytes) waiting for a commit now. */
  get queued(): { messages: number; bytes: number } {
    return { messages: this.waiting, bytes: this.waitingBytes };
  }

  /**
   * Queues a message for the next commit; resolves once it is committed. `key` names the sender's
   * connection (default: the sender). Rejects at once with `BusyError` when a bound is reached.
   */
  submit(m: PendingMessage, key = `${m.senderType}:${m.senderId ?? ''}`): Promise<CommitResult> {
    const bytes = approxBytes(m);
    const mine = this.perKey.get(key) ?? 0;
    const reason = this.refusalReason(bytes, mine);
    if (reason) {
      this.opts.refused?.(reason);
      return Promise.reject(busy(reason, this.retryInMs()));
    }
    this.waiting++;
    this.waitingBytes += bytes;
    this.perKey.set(key, mine + 1);
    return new Promise((resolve, reject) => {
      this.queue.push({ m, key, bytes, at: performance.now(), resolve, reject });
      if (this.flushing) return; // the running flush picks it up when it ends
      if (this.queue.length >= this.maxBatch) void this.flush();
      else
        this.timer ??= setTimeout(
          () => void this.flush(),
          Math.max(this.maxDelayMs, this.paceMs - (performance.now() - this.lastCommitAt)),
        );
    });
  }

  /**
   * Whether `submit` would refuse this message now (nothing is queued or counted): the gateway
   * asks first, so that a refused send pauses its connection before a later one can overtake it.
   */
  wouldRefuse(m: PendingMessage, key = `${m.senderType}:${m.senderId ?? ''}`): BusyError | null {
    const reason = this.refusalReason(approxBytes(m), this.perKey.get(key) ?? 0);
    if (!reason) return null;
    this.opts.refused?.(reason);
    return busy(reason, this.retryInMs());
  }

  private refusalReason(bytes: number, mine: number): BusyError['reason'] | null {
    return this.waiting >= this.limits.maxQueued
      ? 'node'
      : this.waitingBytes + bytes > this.limits.maxQueuedBytes
        ? 'bytes'
        : mine >= this.limits.maxQueuedPerKey
          ? 'sender'
          : this.tooLate()
            ? 'delay'
            : null;
  }

  /**
   * A new message would wait too long: by the recent commits' pace (once a full batch waits), or
   * because the oldest queued message has already waited that long (the pace just dropped: a
   * stalled disk, a starved process), whichever tells first.
   */
  private tooLate(): boolean {
    const max = this.limits.maxQueueDelayMs;
    if (this.queue.length && performance.now() - this.queue[0].at > max) return true;
    return this.waiting >= this.maxBatch && Math.ceil((this.waiting + 1) / this.maxBatch) * this.commitMs > max;
  }

  /** When what waits now should be committed: the batches ahead times a recent commit's duration. */
  private retryInMs(): number {
    const batchesAhead = Math.ceil(this.waiting / this.maxBatch) + 1;
    return Math.min(10_000, Math.max(20, Math.round(batchesAhead * this.commitMs)));
  }

  private settled(e: Entry): void {
    this.waiting--;
    this.waitingBytes -= e.bytes;
    const n = (this.perKey.get(e.key) ?? 1) - 1;
    if (n > 0) this.perKey.set(e.key, n);
    else this.perKey.delete(e.key);
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        const started = performance.now();
        this.lastCommitAt = started;
        let results: CommitResult[] | undefined;
        let failure: unknown;
        try {
          results = await this.store().commit(batch.map((b) => b.m));
        } catch (err) {
          failure = err;
        }
        const ms = performance.now() - started;
        this.commitMs = 0.8 * this.commitMs + 0.2 * ms;
        if (results) this.opts.afterCommit?.(results);
        for (let i = 0; i < batch.length; i++) {
          const b = batch[i];
          this.settled(b);
          // Nothing of a failed batch was committed (one transaction): every sender gets an error and may resend.
          if (results) b.resolve(results[i]);
          else b.reject(failure);
          // What a resolved message sets off (its ack, the bus, the fan-out to its subscribers) runs
          // when this loop yields: a slice at a time, so a batch of 500 never holds the event loop
          // for long and sockets are served in between.
          if ((i + 1) % resolveSlice === 0 && i + 1 < batch.length) await new Promise((r) => setImmediate(r));
        }
        this.opts.observe?.(batch.length, ms / 1000);
        const rest = this.paceMs - (performance.now() - started);
        if (rest > 1 && this.queue.length && this.queue.length < this.maxBatch)
          await new Promise((r) => setTimeout(r, rest));
      }
    } finally {
      this.flushing = false;
    }
  }

  private store(): MessageStore {
    if (typeof this.storeOrFactory === 'function') this.storeOrFactory = this.storeOrFactory();
    return this.storeOrFactory;
  }

  /** Waits for everything queued so far, then closes the store (if it was ever opened). */
  async close(): Promise<void> {
    await this.flush();
    if (typeof this.storeOrFactory !== 'function') await this.storeOrFactory.close();
  }
}
