/**
 * The message write path. Messages are acknowledged only after they are committed, and they are
 * committed in small groups: whatever arrived while the previous commit ran (up to `maxBatch`),
 * or after at most `maxDelayMs`, goes into one transaction, so one durable commit serves many
 * messages. Each message gets the next per-conversation seq inside that transaction; a resend
 * with a client id already stored returns the stored message instead of a new one.
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
      createdAt: string;
      duplicate: boolean;
      reopened: boolean;
      ticketId?: string | null;
    }
  | { ok: false; code: 'unknown_conversation'; message: string };

/** Commits a batch in one transaction; results in the batch's order. */
export type MessageStore = { commit(batch: PendingMessage[]): Promise<CommitResult[]>; close(): Promise<void> };

export type WriterStats = { batches: number; messages: number; lastBatchSize: number };

export class MessageWriter {
  private queue: { m: PendingMessage; resolve: (r: CommitResult) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private storeOrFactory: MessageStore | (() => MessageStore);
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly observe?: (size: number, seconds: number) => void;

  /** `store` may be a factory: the store (e.g. a worker thread) is then created on the first message. */
  constructor(
    store: MessageStore | (() => MessageStore),
    opts: { maxBatch?: number; maxDelayMs?: number; observe?: (size: number, seconds: number) => void } = {},
  ) {
    this.storeOrFactory = store;
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 2;
    this.observe = opts.observe;
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
        try {
          const results = await this.store().commit(batch.map((b) => b.m));
          batch.forEach((b, i) => b.resolve(results[i]));
        } catch (err) {
          // Nothing of a failed batch was committed (one transaction): every sender gets an error and may resend.
          for (const b of batch) b.reject(err);
        }
        this.observe?.(batch.length, (performance.now() - started) / 1000);
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

/** The text shown in inbox lists for a message. */
export function preview(m: Pick<PendingMessage, 'kind' | 'body' | 'attachments'>): string {
  if (m.body) return m.body.slice(0, 140);
  if (m.attachments.length) return `[${m.kind === 'image' ? 'image' : 'file'}] ${m.attachments[0].name}`.slice(0, 140);
  return '';
}
