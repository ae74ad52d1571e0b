/**
 * The message write path. Messages are acknowledged only after they are committed, and they are
 * committed in small groups: whatever arrived while the previous commit ran (up to `maxBatch`),
 * or after at most `maxDelayMs`, goes into one transaction, so one durable commit serves many
 * messages. What a commit does to the batch is decided by the storage rules (`commit-rules.ts`),
 * the same on both engines.
 */
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

export type WriterOptions = {
  maxBatch?: number;
  maxDelayMs?: number;
  observe?: (size: number, seconds: number) => void;
  /** Test-only (the crash tests): called after a batch committed, before anyone hears of it. */
  afterCommit?: (results: CommitResult[]) => void;
};

type Entry = {
  m: PendingMessage;
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
  private readonly opts: WriterOptions;

  /** `store` may be a factory: the store (e.g. a worker thread) is then created on the first message. */
  constructor(store: MessageStore | (() => MessageStore), opts: WriterOptions = {}) {
    this.storeOrFactory = store;
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 2;
    this.opts = opts;
  }

  submit(m: PendingMessage): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ m, resolve, reject });
      if (this.flushing) return; // the running flush picks it up when it ends
      if (this.queue.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    });
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
        let results: CommitResult[] | undefined;
        let failure: unknown;
        try {
          results = await this.store().commit(batch.map((b) => b.m));
        } catch (err) {
          failure = err;
        }
        const ms = performance.now() - started;
        if (results) this.opts.afterCommit?.(results);
        for (let i = 0; i < batch.length; i++) {
          const b = batch[i];
          // Nothing of a failed batch was committed (one transaction): every sender gets an error and may resend.
          if (results) b.resolve(results[i]);
          else b.reject(failure);
        }
        this.opts.observe?.(batch.length, ms / 1000);
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
