/**
 * Messages written but not yet acknowledged, in the order they were written. An entry stays until
 * the server's `ack` (or our own message coming back) proves it stored, and is resent with the
 * same `cid` on every new connection: the server stores a cid once and acks it again. A refused
 * entry is parked as `failed` until the user retries or discards it. Entries are replaced, never
 * changed in place, so a view can compare them by identity; they are plain JSON, so the widget
 * can keep them across page loads.
 */
import type { Attachment, SendFrame, SendKind } from './protocol.ts';
import { sendKinds } from './protocol.ts';

export type OutboxState = 'sending' | 'failed';

export type OutboxEntry = {
  cid: string;
  /** null until the server names the shopper's conversation (the first message creates it). */
  conv: string | null;
  kind: SendKind;
  body: string;
  /** Kept whole (not just ids) so a pending image already shows, also after a page reload. */
  attachments: Attachment[];
  createdAt: string;
  state: OutboxState;
  /** Why the server refused it (state `failed`): the error code, and a message to show. */
  code?: string;
  error?: string;
};

export class Outbox {
  private list: OutboxEntry[] = [];

  all(): readonly OutboxEntry[] {
    return this.list;
  }

  get(cid: string): OutboxEntry | undefined {
    return this.list.find((e) => e.cid === cid);
  }

  forConversation(conv: string | null): OutboxEntry[] {
    return this.list.filter((e) => e.conv === conv);
  }

  add(entry: Omit<OutboxEntry, 'state'>): OutboxEntry {
    const added: OutboxEntry = { ...entry, state: 'sending' };
    this.list = [...this.list.filter((e) => e.cid !== entry.cid), added];
    return added;
  }

  remove(cid: string): OutboxEntry | undefined {
    const entry = this.get(cid);
    if (entry) this.list = this.list.filter((e) => e !== entry);
    return entry;
  }

  fail(cid: string, code: string, error: string): OutboxEntry | undefined {
    return this.replace(cid, (e) => ({ ...e, state: 'failed', code, error }));
  }

  /** A failed entry back to `sending`; with `cid` under a new client id (the old one is taken on the server). */
  retry(cid: string, newCid?: string): OutboxEntry | undefined {
    const entry = this.get(cid);
    if (entry?.state !== 'failed') return undefined;
    return this.replace(cid, ({ code: _code, error: _error, ...rest }) => ({
      ...rest,
      cid: newCid ?? rest.cid,
      state: 'sending',
    }));
  }

  /** Entries without a conversation go to `conv`; true when there were any. */
  assign(conv: string): boolean {
    if (!this.list.some((e) => e.conv === null)) return false;
    this.list = this.list.map((e) => (e.conv === null ? { ...e, conv } : e));
    return true;
  }

  /** Puts back what an earlier page left unsent (the widget keeps it in sessionStorage); tolerant of junk. */
  restore(saved: unknown): boolean {
    if (!Array.isArray(saved)) return false;
    const before = this.list.length;
    for (const raw of saved) {
      if (!raw || typeof raw !== 'object') continue;
      const e = raw as Partial<OutboxEntry> & { failed?: unknown };
      if (typeof e.cid !== 'string' || typeof e.body !== 'string' || !sendKinds.includes(e.kind as SendKind)) continue;
      if (this.get(e.cid)) continue;
      // Before the shared client, a failed entry was saved as `failed: "<message>"`.
      const error = typeof e.error === 'string' ? e.error : typeof e.failed === 'string' ? e.failed : undefined;
      const failed = e.state === 'failed' || typeof e.failed === 'string';
      this.list.push({
        cid: e.cid,
        conv: typeof e.conv === 'string' ? e.conv : null,
        kind: e.kind as SendKind,
        body: e.body,
        attachments: Array.isArray(e.attachments) ? e.attachments.filter((a) => a && typeof a.id === 'string') : [],
        createdAt: typeof e.createdAt === 'string' ? e.createdAt : new Date(0).toISOString(),
        state: failed ? 'failed' : 'sending',
        ...(failed ? { code: typeof e.code === 'string' ? e.code : 'failed', error: error ?? '' } : {}),
      });
    }
    return this.list.length !== before;
  }

  private replace(cid: string, fn: (e: OutboxEntry) => OutboxEntry): OutboxEntry | undefined {
    const i = this.list.findIndex((e) => e.cid === cid);
    if (i < 0) return undefined;
    const next = fn(this.list[i]);
    this.list = [...this.list.slice(0, i), next, ...this.list.slice(i + 1)];
    return next;
  }
}

export function sendFrame(e: OutboxEntry): SendFrame {
  const frame: SendFrame = { t: 'send', cid: e.cid, kind: e.kind, body: e.body };
  if (e.conv) frame.conv = e.conv;
  if (e.attachments.length) frame.attachments = e.attachments.map((a) => ({ id: a.id }));
  return frame;
}

/** A client id: 128 random bits (randomUUID needs a secure context; a LAN address over http still has getRandomValues). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
