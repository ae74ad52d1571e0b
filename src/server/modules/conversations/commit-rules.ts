/**
 * The storage rules of a batch of chat messages, written once for both engines. A store opens its
 * transaction (holding the batch's conversations: SQLite's write lock, PostgreSQL's row locks),
 * loads their state and the stored messages that may be resent, calls `planCommit`, and writes
 * what it returns; the rules themselves touch no database, clock or randomness (event ids are
 * passed in), so they are tested directly.
 *
 * Pure on purpose: the SQLite writer's worker thread imports this file, which imports only
 * types and the pure outbox row builder.
 */
import { outboxRow, type OutboxRow } from '../../lib/events/row.ts';
import type { DomainEvent } from '../../lib/events/types.ts';
import type { AttachmentMeta } from './attachments.ts';
import type { ConversationsTable, MessagesTable } from './schema.ts';
import type { CommitResult, PendingMessage } from './writer.ts';

/** A conversation of the batch as stored when the batch's transaction took it. */
export type ConversationState = Pick<
  ConversationsTable,
  | 'id'
  | 'workspace_id'
  | 'status'
  | 'last_seq'
  | 'last_public_seq'
  | 'agent_last_read_seq'
  | 'customer_last_read_seq'
  | 'last_message_preview'
  | 'ticket_id'
>;

/** A stored message that a message of the batch may be a resend of (same conversation and client id). */
export type StoredMessage = Pick<
  MessagesTable,
  | 'id'
  | 'conversation_id'
  | 'seq'
  | 'prev_public_seq'
  | 'client_id'
  | 'sender_type'
  | 'sender_id'
  | 'kind'
  | 'body'
  | 'attachments'
  | 'created_at'
>;

/** A conversation's new values after the batch: one UPDATE per batch sets them. */
export type ConversationUpdate = {
  id: string;
  last_seq: number;
  last_public_seq: number;
  last_message_at: string; // also updated_at
  last_message_preview: string | null;
  agent_last_read_seq: number;
  customer_last_read_seq: number;
  status: string;
  clear_snooze: boolean;
};

export type CommitPlan = {
  /** The rows to insert, in seq order per conversation. */
  messages: MessagesTable[];
  conversations: ConversationUpdate[];
  /** Outbox rows written in the same transaction (delivered after the commit). */
  outbox: OutboxRow[];
  /** One per message of the batch, in the batch's order. */
  results: CommitResult[];
};

const unknownConversation: CommitResult = { ok: false, code: 'unknown_conversation', message: 'no such conversation' };
const cidConflict: CommitResult = {
  ok: false,
  code: 'cid_conflict',
  message: 'this client id was already used for a different message; send this one with a new client id',
};
const system = { type: 'system', id: null, name: null } as const;

/**
 * What a store looks resends up by: (conversation, client id) of each message of the batch whose
 * conversation belongs to the sender's workspace. Checked before the lookup so that a client id
 * known in another workspace's conversation reveals nothing about it. Exact pairs, so the lookup
 * costs one index probe per message (the sender is compared by `planCommit`).
 */
export function resendLookup(
  batch: readonly PendingMessage[],
  conversations: readonly ConversationState[],
): [conversationId: string, clientId: string][] {
  const ws = new Map(conversations.map((c) => [c.id, c.workspace_id]));
  const pairs = new Map<string, [string, string]>();
  for (const m of batch)
    if (m.clientId !== null && ws.get(m.conversationId) === m.workspaceId)
      pairs.set(`${m.conversationId}\u0000${m.clientId}`, [m.conversationId, m.clientId]);
  return [...pairs.values()];
}

/** A resend is the same client id from the same sender (type and id) in the same conversation. */
export function resendKey(
  conversationId: string,
  senderType: string,
  senderId: string | null,
  clientId: string,
): string {
  return `${conversationId}\u0000${senderType}\u0000${senderId ?? ''}\u0000${clientId}`;
}

/** The text shown in inbox lists for a message. */
export function preview(m: Pick<PendingMessage, 'kind' | 'body' | 'attachments'>): string {
  if (m.body) return m.body.slice(0, 140);
  if (m.attachments.length) return `[${m.kind === 'image' ? 'image' : 'file'}] ${m.attachments[0].name}`.slice(0, 140);
  return '';
}

type Content = { kind: string; body: string; attachmentIds: string[] };
const contentOf = (m: PendingMessage): Content => ({
  kind: m.kind,
  body: m.body,
  attachmentIds: m.attachments.map((a) => a.id),
});
const storedContent = (r: StoredMessage): Content => ({
  kind: r.kind,
  body: r.body,
  attachmentIds: (JSON.parse(r.attachments) as AttachmentMeta[]).map((a) => a.id),
});
/** A resend carries the same message; the same client id with other content is a different message. */
const sameContent = (a: Content, b: Content): boolean =>
  a.kind === b.kind &&
  a.body === b.body &&
  a.attachmentIds.length === b.attachmentIds.length &&
  a.attachmentIds.every((id, i) => id === b.attachmentIds[i]);

/**
 * Decides a batch. For each message, in order:
 * 1. its conversation must exist in the sender's workspace (`unknown_conversation`), before anything else;
 * 2. a resend (same conversation, sender and client id, stored before or earlier in this batch) is
 *    answered with the stored message (`duplicate`), or refused with `cid_conflict` when its kind,
 *    body or attachments differ;
 * 3. otherwise it gets the conversation's next seq and `prev` (the last public seq before it); a
 *    public message becomes the inbox preview; the sender's side has read up to it; a shopper's
 *    message reopens a resolved or snoozed conversation (raising `conversation.updated` with the
 *    status change, as an agent's reopening does) and clears the snooze; in a conversation
 *    that feeds a ticket, a shopper's message raises `conversation.customer_replied`.
 */
export function planCommit(
  batch: readonly PendingMessage[],
  conversations: readonly ConversationState[],
  stored: readonly StoredMessage[],
  newEventId: () => string,
): CommitPlan {
  const convs = new Map(conversations.map((c) => [c.id, { ...c, lastAt: null as string | null, clearSnooze: false }]));
  const storedByKey = new Map<string, StoredMessage>();
  for (const r of stored)
    if (r.client_id !== null) storedByKey.set(resendKey(r.conversation_id, r.sender_type, r.sender_id, r.client_id), r);
  const firstInBatch = new Map<string, number>();
  const plan: CommitPlan = { messages: [], conversations: [], outbox: [], results: [] };
  const { results } = plan;

  batch.forEach((m, i) => {
    const c = convs.get(m.conversationId);
    if (!c || c.workspace_id !== m.workspaceId) return void results.push(unknownConversation);
    if (m.clientId !== null) {
      const key = resendKey(m.conversationId, m.senderType, m.senderId, m.clientId);
      const old = storedByKey.get(key);
      if (old) {
        if (!sameContent(storedContent(old), contentOf(m))) return void results.push(cidConflict);
        return void results.push({
          ok: true,
          id: old.id,
          seq: old.seq,
          prev: old.prev_public_seq,
          createdAt: old.created_at,
          duplicate: true,
          reopened: false,
          eventIds: [],
        });
      }
      const first = firstInBatch.get(key);
      if (first !== undefined) {
        const r = results[first];
        if (!r.ok || !sameContent(contentOf(batch[first]), contentOf(m))) return void results.push(cidConflict);
        return void results.push({ ...r, duplicate: true, reopened: false, eventIds: [] });
      }
      firstInBatch.set(key, i);
    }

    const seq = ++c.last_seq;
    const prev = c.last_public_seq;
    c.lastAt = m.createdAt; // the last message's time becomes the conversation's
    if (m.kind !== 'note') {
      c.last_public_seq = seq;
      c.last_message_preview = preview(m);
    }
    let reopened = false;
    let reopenedFrom = '';
    if (m.senderType === 'agent') c.agent_last_read_seq = seq;
    if (m.senderType === 'customer') {
      c.customer_last_read_seq = seq;
      c.clearSnooze = true;
      if (c.status === 'resolved' || c.status === 'snoozed') {
        reopenedFrom = c.status;
        c.status = 'open';
        reopened = true;
      }
    }
    plan.messages.push({
      id: m.id,
      workspace_id: m.workspaceId,
      conversation_id: m.conversationId,
      seq,
      prev_public_seq: prev,
      client_id: m.clientId,
      sender_type: m.senderType,
      sender_id: m.senderId,
      sender_name: m.senderName,
      kind: m.kind,
      body: m.body,
      attachments: JSON.stringify(m.attachments),
      created_at: m.createdAt,
    });
    const eventIds: string[] = [];
    if (reopenedFrom) {
      // As when an agent reopens it: routing queues a reopened conversation again (sticky: to the last agent).
      const event: DomainEvent<'conversation.updated'> = {
        type: 'conversation.updated',
        workspaceId: m.workspaceId,
        actor: system,
        ip: null,
        objectType: 'conversation',
        objectId: m.conversationId,
        data: { status: { from: reopenedFrom, to: 'open' } },
        at: m.createdAt,
        id: newEventId(),
      };
      plan.outbox.push(outboxRow(event, m.createdAt));
      eventIds.push(event.id);
    }
    if (m.senderType === 'customer' && c.ticket_id) {
      const event: DomainEvent<'conversation.customer_replied'> = {
        type: 'conversation.customer_replied',
        workspaceId: m.workspaceId,
        actor: system,
        ip: null,
        objectType: 'conversation',
        objectId: m.conversationId,
        data: { ticketId: c.ticket_id, messageId: m.id, at: m.createdAt },
        at: m.createdAt,
        id: newEventId(),
      };
      plan.outbox.push(outboxRow(event, m.createdAt));
      eventIds.push(event.id);
    }
    results.push({ ok: true, id: m.id, seq, prev, createdAt: m.createdAt, duplicate: false, reopened, eventIds });
  });

  for (const c of convs.values()) {
    if (c.lastAt === null) continue;
    plan.conversations.push({
      id: c.id,
      last_seq: c.last_seq,
      last_public_seq: c.last_public_seq,
      last_message_at: c.lastAt,
      last_message_preview: c.last_message_preview,
      agent_last_read_seq: c.agent_last_read_seq,
      customer_last_read_seq: c.customer_last_read_seq,
      status: c.status,
      clear_snooze: c.clearSnooze,
    });
  }
  return plan;
}
