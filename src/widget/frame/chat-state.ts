/**
 * The shopper's side of the "no lost, no duplicated messages" promise (architecture §4), as pure
 * state with no I/O, so every rule here is unit-tested:
 * - messages are kept per conversation in seq order, one per seq: a replayed or echoed `msg` whose
 *   seq we already hold is a duplicate and is not shown twice;
 * - `highestSeq` per conversation is what `hello`/`sub` ask the server to resume after; it moves
 *   only on `msg` and `synced`, never on an `ack`, because an ack for our seq 7 says nothing about
 *   an agent's seq 6 that may still be on its way;
 * - unacked sends wait in an outbox and are resent with the same `cid` on every new connection
 *   (the server stores a cid once and acks it again);
 * - read marks both ways (an agent's reply counts as reading) and the launcher's unread count.
 */
import type { Attachment, ClientFrame, Message, ServerFrame } from '../../shared/realtime.ts';

export type SendKind = 'text' | 'image' | 'file';
type AckFrame = Extract<ServerFrame, { t: 'ack' }>;
type ReadFrame = Extract<ServerFrame, { t: 'read' }>;
type SendFrame = Extract<ClientFrame, { t: 'send' }>;

export type OutboxEntry = {
  cid: string;
  /** null until the server has named the shopper's conversation (the first message creates it). */
  conv: string | null;
  kind: SendKind;
  body: string;
  /** Kept whole (not just ids) so a pending image still renders after a page reload. */
  attachments: Attachment[];
  createdAt: string;
  /** The server's refusal (an `error` frame with this cid): not resent until the shopper retries. */
  failed: string | null;
};

type Conversation = {
  id: string;
  /** Ascending by seq, at most one message per seq. */
  messages: Message[];
  highestSeq: number;
  agentReadSeq: number;
  /** How far the shopper has read, here or in another tab (the server relays `read` by customer). */
  customerReadSeq: number;
};

export type OwnStatus = 'sent' | 'read';
export type TimelineItem =
  | { type: 'message'; key: string; message: Message; own: boolean; status: OwnStatus | null }
  | { type: 'pending'; key: string; entry: OutboxEntry };

const unreadSenders = new Set(['agent', 'bot']);

export class ChatState {
  private convs = new Map<string, Conversation>();
  private outbox: OutboxEntry[] = [];
  /** cids already written to the current socket; cleared on reconnect so they are resent once. */
  private sentOnSocket = new Set<string>();
  /** Read marks saved by an earlier page, waiting for their conversation to be known. */
  private storedMarks = new Map<string, number>();
  /** The conversation new messages go to: the session's, the welcome's latest, or the last ack's. */
  activeConv: string | null = null;

  conversation(id: string): Conversation {
    let conv = this.convs.get(id);
    if (!conv) {
      conv = { id, messages: [], highestSeq: 0, agentReadSeq: 0, customerReadSeq: this.storedMarks.get(id) ?? 0 };
      this.convs.set(id, conv);
    }
    return conv;
  }

  setActive(id: string | null): void {
    if (!id) return;
    this.activeConv = id;
    this.conversation(id);
  }

  /** `hello.subs`: every conversation we know, with the seq to resume after. */
  subs(): Record<string, number> {
    const subs: Record<string, number> = {};
    for (const conv of this.convs.values()) subs[conv.id] = conv.highestSeq;
    return subs;
  }

  /**
   * The welcome lists the shopper's conversations; those we did not name in `hello` still need a
   * `sub` (e.g. one created from another tab). Returns them with the seq to resume after.
   */
  welcome(
    conversations: string[] | undefined,
    helloSubs: Record<string, number>,
  ): Array<{ conv: string; lastSeq: number }> {
    const missing: Array<{ conv: string; lastSeq: number }> = [];
    for (const id of conversations ?? []) {
      const conv = this.conversation(id);
      if (!(id in helloSubs)) missing.push({ conv: id, lastSeq: conv.highestSeq });
    }
    if (!this.activeConv && conversations?.length) this.activeConv = conversations[conversations.length - 1];
    return missing;
  }

  /** A committed message, replayed or live. Returns false for one we already show. */
  applyMessage(m: Message): boolean {
    const conv = this.conversation(m.conv);
    conv.highestSeq = Math.max(conv.highestSeq, m.seq);
    // Our own message echoed, or replayed after its ack was lost with the connection: delivered.
    if (m.cid && m.sender.type === 'customer') this.removeFromOutbox(m.cid);
    // An agent who replies has read what came before; the server moves its read mark silently then.
    if (m.sender.type === 'agent') conv.agentReadSeq = Math.max(conv.agentReadSeq, m.seq);
    const list = conv.messages;
    let i = list.length;
    while (i > 0 && list[i - 1].seq > m.seq) i--;
    if (i > 0 && list[i - 1].seq === m.seq) {
      // Same seq: the server's copy replaces the one built from an ack (it has the final URLs).
      conv.messages = [...list.slice(0, i - 1), m, ...list.slice(i)];
      return false;
    }
    conv.messages = [...list.slice(0, i), m, ...list.slice(i)];
    return true;
  }

  /** The end of a replay: everything up to `seq` has been sent, even seqs we may not see (agents' notes). */
  applySynced(convId: string, seq: number): void {
    const conv = this.conversation(convId);
    conv.highestSeq = Math.max(conv.highestSeq, seq);
  }

  /**
   * The server stored one of our sends. The message is shown from the outbox copy until (if ever)
   * the server's own `msg` for it arrives. `customerId` fills in the sender.
   */
  applyAck(ack: AckFrame, customerId: string | null): boolean {
    this.activeConv = ack.conv; // the server may have started a new conversation (the old one was resolved)
    const conv = this.conversation(ack.conv);
    for (const e of this.outbox) if (!e.conv) e.conv = ack.conv;
    const entry = this.outbox.find((e) => e.cid === ack.cid);
    if (!entry) return false;
    this.removeFromOutbox(ack.cid);
    if (conv.messages.some((m) => m.seq === ack.seq)) return true;
    const message: Message = {
      id: ack.id,
      conv: ack.conv,
      seq: ack.seq,
      cid: ack.cid,
      kind: entry.kind,
      body: entry.body,
      attachments: entry.attachments,
      sender: { type: 'customer', id: customerId, name: null },
      at: ack.at,
    };
    const list = conv.messages;
    let i = list.length;
    while (i > 0 && list[i - 1].seq > ack.seq) i--;
    conv.messages = [...list.slice(0, i), message, ...list.slice(i)];
    return true;
  }

  applyRead(frame: ReadFrame): boolean {
    const conv = this.conversation(frame.conv);
    const key = frame.by === 'agent' ? 'agentReadSeq' : 'customerReadSeq';
    if (frame.seq <= conv[key]) return false;
    conv[key] = frame.seq;
    return true;
  }

  /** An `error` frame naming one of our sends: park it as failed (resending would fail the same way). */
  failSend(cid: string, message: string): boolean {
    const entry = this.outbox.find((e) => e.cid === cid);
    if (!entry) return false;
    entry.failed = message;
    this.sentOnSocket.delete(cid);
    return true;
  }

  // ---- outbox ----

  enqueue(input: { cid: string; kind: SendKind; body: string; attachments?: Attachment[] }, now: string): OutboxEntry {
    const entry: OutboxEntry = {
      cid: input.cid,
      conv: this.activeConv,
      kind: input.kind,
      body: input.body,
      attachments: input.attachments ?? [],
      createdAt: now,
      failed: null,
    };
    this.outbox.push(entry);
    return entry;
  }

  pending(): readonly OutboxEntry[] {
    return this.outbox;
  }

  /** A new socket: everything unacked goes out again, with the same cids. */
  resetSocket(): void {
    this.sentOnSocket.clear();
  }

  /**
   * The send frames to write now, marked as written. While no conversation is known only the first
   * message goes out: it creates the conversation, and the others follow once its ack names it
   * (otherwise two quick first messages could start two conversations).
   */
  takeSendable(): SendFrame[] {
    const frames: SendFrame[] = [];
    for (const e of this.outbox) {
      if (e.failed) continue;
      if (!e.conv && this.activeConv) e.conv = this.activeConv;
      if (!this.sentOnSocket.has(e.cid)) {
        this.sentOnSocket.add(e.cid);
        frames.push(toSendFrame(e));
      }
      if (!e.conv) break; // the conversation-starting message is out (now or before): wait for its ack
    }
    return frames;
  }

  retry(cid: string): boolean {
    const entry = this.outbox.find((e) => e.cid === cid);
    if (!entry?.failed) return false;
    entry.failed = null;
    return true;
  }

  discard(cid: string): boolean {
    return this.removeFromOutbox(cid);
  }

  /** Puts back what a previous page of this tab left unsent (from sessionStorage); tolerant of junk. */
  restoreOutbox(saved: unknown): void {
    if (!Array.isArray(saved)) return;
    for (const raw of saved) {
      if (!raw || typeof raw !== 'object') continue;
      const e = raw as Partial<OutboxEntry>;
      if (
        typeof e.cid !== 'string' ||
        typeof e.body !== 'string' ||
        !['text', 'image', 'file'].includes(e.kind as string)
      )
        continue;
      if (this.outbox.some((o) => o.cid === e.cid)) continue;
      this.outbox.push({
        cid: e.cid,
        conv: typeof e.conv === 'string' ? e.conv : null,
        kind: e.kind as SendKind,
        body: e.body,
        attachments: Array.isArray(e.attachments) ? e.attachments.filter((a) => a && typeof a.id === 'string') : [],
        createdAt: typeof e.createdAt === 'string' ? e.createdAt : new Date(0).toISOString(),
        failed: typeof e.failed === 'string' ? e.failed : null,
      });
    }
  }

  private removeFromOutbox(cid: string): boolean {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((e) => e.cid !== cid);
    this.sentOnSocket.delete(cid);
    return this.outbox.length !== before;
  }

  // ---- read marks and unread ----

  /** The shopper has surely read up to their own latest message, even without a stored mark. */
  private readUpTo(conv: Conversation): number {
    let ownLast = 0;
    for (let i = conv.messages.length - 1; i >= 0; i--) {
      if (conv.messages[i].sender.type === 'customer') {
        ownLast = conv.messages[i].seq;
        break;
      }
    }
    return Math.max(conv.customerReadSeq, ownLast);
  }

  unreadCount(): number {
    let count = 0;
    for (const conv of this.convs.values()) {
      const readTo = this.readUpTo(conv);
      for (const m of conv.messages) if (m.seq > readTo && unreadSenders.has(m.sender.type)) count++;
    }
    return count;
  }

  /** The panel is in view: everything shown is read. Returns the `read` frames to send. */
  markAllRead(): Array<{ conv: string; seq: number }> {
    const advanced: Array<{ conv: string; seq: number }> = [];
    for (const conv of this.convs.values()) {
      const last = conv.messages[conv.messages.length - 1]?.seq ?? 0;
      if (last > conv.customerReadSeq) {
        conv.customerReadSeq = last;
        advanced.push({ conv: conv.id, seq: last });
      }
    }
    return advanced;
  }

  readMarks(): Record<string, number> {
    const marks: Record<string, number> = {};
    for (const conv of this.convs.values()) if (conv.customerReadSeq > 0) marks[conv.id] = conv.customerReadSeq;
    return marks;
  }

  restoreReadMarks(saved: unknown): void {
    if (!saved || typeof saved !== 'object') return;
    for (const [id, seq] of Object.entries(saved as Record<string, unknown>)) {
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) continue;
      const conv = this.convs.get(id);
      if (conv) conv.customerReadSeq = Math.max(conv.customerReadSeq, seq);
      // Not subscribed to on its own: a stored mark of a conversation this visitor no longer has
      // must not come back as a subscription. It applies when the session or welcome names it.
      else this.storedMarks.set(id, seq);
    }
  }

  // ---- view ----

  hasMessages(): boolean {
    for (const conv of this.convs.values()) if (conv.messages.length) return true;
    return this.outbox.length > 0;
  }

  /** Conversations oldest first (by their first message), each in seq order, then what is still pending. */
  timeline(): TimelineItem[] {
    const convs = [...this.convs.values()].filter((c) => c.messages.length > 0);
    convs.sort((a, b) => (a.messages[0].at < b.messages[0].at ? -1 : a.messages[0].at > b.messages[0].at ? 1 : 0));
    const items: TimelineItem[] = [];
    for (const conv of convs) {
      for (const m of conv.messages) {
        const own = m.sender.type === 'customer';
        items.push({
          type: 'message',
          key: `${m.conv}:${m.seq}`,
          message: m,
          own,
          status: own ? (m.seq <= conv.agentReadSeq ? 'read' : 'sent') : null,
        });
      }
    }
    for (const entry of this.outbox) items.push({ type: 'pending', key: `cid:${entry.cid}`, entry });
    return items;
  }
}

export function toSendFrame(e: OutboxEntry): SendFrame {
  const frame: SendFrame = { t: 'send', cid: e.cid, kind: e.kind, body: e.body };
  if (e.conv) frame.conv = e.conv;
  if (e.attachments.length) frame.attachments = e.attachments.map((a) => ({ id: a.id }));
  return frame;
}
