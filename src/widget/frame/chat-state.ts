/**
 * What the shopper's panel shows, derived from the shared realtime client (which holds the
 * messages in seq order and the outbox): one timeline, read marks both ways (an agent's reply
 * counts as reading) and the launcher's unread count. Pure state with no I/O, unit-tested.
 */
import type { ChatClient } from '../../shared/realtime/client.ts';
import type { OutboxEntry } from '../../shared/realtime/outbox.ts';
import type { Message, ServerFrame } from '../../shared/realtime/protocol.ts';

export type { OutboxEntry };
type ReadFrame = Extract<ServerFrame, { t: 'read' }>;
export type ChatSource = Pick<ChatClient, 'conversations' | 'messages' | 'pending'>;

export type OwnStatus = 'sent' | 'read';
export type TimelineItem =
  | { type: 'message'; key: string; message: Message; own: boolean; status: OwnStatus | null }
  | { type: 'pending'; key: string; entry: OutboxEntry };

const unreadSenders = new Set(['agent', 'bot']);

export class ChatState {
  private readonly source: ChatSource;
  /** From `read` frames by agents; an agent's reply also counts (see agentReadSeq). */
  private readonly agentRead = new Map<string, number>();
  /** How far the shopper has read, here, in another tab (the server relays it) or on an earlier page. */
  private readonly customerRead = new Map<string, number>();

  constructor(source: ChatSource) {
    this.source = source;
  }

  applyRead(frame: ReadFrame): boolean {
    const marks = frame.by === 'agent' ? this.agentRead : this.customerRead;
    if (frame.seq <= (marks.get(frame.conv) ?? 0)) return false;
    marks.set(frame.conv, frame.seq);
    return true;
  }

  /** An agent who replies has read what came before; the server moves its read mark silently then. */
  private agentReadSeq(conv: string, messages: readonly Message[]): number {
    let seq = this.agentRead.get(conv) ?? 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i].sender.type !== 'agent') continue;
      seq = Math.max(seq, messages[i].seq);
      break;
    }
    return seq;
  }

  /** The shopper has surely read up to their own latest message, even without a stored mark. */
  private readUpTo(conv: string, messages: readonly Message[]): number {
    let ownLast = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i].sender.type === 'customer') {
        ownLast = messages[i].seq;
        break;
      }
    }
    return Math.max(this.customerRead.get(conv) ?? 0, ownLast);
  }

  unreadCount(): number {
    let count = 0;
    for (const conv of this.source.conversations()) {
      const messages = this.source.messages(conv);
      const readTo = this.readUpTo(conv, messages);
      for (const m of messages) if (m.seq > readTo && unreadSenders.has(m.sender.type)) count++;
    }
    return count;
  }

  /** The panel is in view: everything shown is read. Returns the `read` frames to send. */
  markAllRead(): Array<{ conv: string; seq: number }> {
    const advanced: Array<{ conv: string; seq: number }> = [];
    for (const conv of this.source.conversations()) {
      const messages = this.source.messages(conv);
      const last = messages[messages.length - 1]?.seq ?? 0;
      if (last > (this.customerRead.get(conv) ?? 0)) {
        this.customerRead.set(conv, last);
        advanced.push({ conv, seq: last });
      }
    }
    return advanced;
  }

  /** The marks worth keeping: of conversations this visitor still has (a stale one is dropped on the next save). */
  readMarks(): Record<string, number> {
    const marks: Record<string, number> = {};
    for (const conv of this.source.conversations()) {
      const seq = this.customerRead.get(conv) ?? 0;
      if (seq > 0) marks[conv] = seq;
    }
    return marks;
  }

  restoreReadMarks(saved: unknown): void {
    if (!saved || typeof saved !== 'object') return;
    for (const [conv, seq] of Object.entries(saved as Record<string, unknown>)) {
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) continue;
      this.customerRead.set(conv, Math.max(this.customerRead.get(conv) ?? 0, seq));
    }
  }

  hasMessages(): boolean {
    for (const conv of this.source.conversations()) if (this.source.messages(conv).length) return true;
    return this.source.pending().length > 0;
  }

  /** Conversations oldest first (by their first message), each in seq order, then what is still pending. */
  timeline(): TimelineItem[] {
    const convs = this.source
      .conversations()
      .map((id) => ({ id, messages: this.source.messages(id) }))
      .filter((c) => c.messages.length > 0);
    convs.sort((a, b) => (a.messages[0].at < b.messages[0].at ? -1 : a.messages[0].at > b.messages[0].at ? 1 : 0));
    const items: TimelineItem[] = [];
    for (const { id, messages } of convs) {
      const agentRead = this.agentReadSeq(id, messages);
      for (const m of messages) {
        const own = m.sender.type === 'customer';
        items.push({
          type: 'message',
          key: `${m.conv}:${m.seq}`,
          message: m,
          own,
          status: own ? (m.seq <= agentRead ? 'read' : 'sent') : null,
        });
      }
    }
    for (const entry of this.source.pending()) items.push({ type: 'pending', key: `cid:${entry.cid}`, entry });
    return items;
  }
}
