/** Conversations and their messages: agents' views, the shopper's conversation, sending, reading. */
import { checkAssignment } from './assign-guard.ts';
import { agentAvatarPath } from '../../../shared/avatars.ts';
import type { ConversationSummary, Message, MessageKind } from '../../../shared/realtime/protocol.ts';
import { afterCommit, publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { summaries } from './list.ts';
import { withUrl, type AttachmentMeta } from './attachments.ts';
import { messageWriter } from './metrics.ts';
import { own, type ConversationsTable, type MessagesTable } from './schema.ts';
import { takeOnReply } from './assign-on-reply.ts';
import { announceMentions } from './mentions.ts';
import { chatChannel, type ChatBusMessage } from './chat-bus.ts';
import type { PendingMessage } from './writer.ts';
import { prepareMessage } from './prepare.ts';

export { checkPost, prepareMessage } from './prepare.ts';

export { chatChannel, type ChatBusMessage } from './chat-bus.ts';

/** `publicName`: an agent's name as shoppers see it, when the caller keeps it current (the gateway); else read per message. */
export type Sender = { type: 'agent' | 'customer'; id: string; name: string | null; workspaceId: string } & {
  publicName?: string | null;
};

/** A message's sender as readers see it; an agent's carries their avatar's public address. */
const senderOf = (type: Message['sender']['type'], id: string | null, name: string | null): Message['sender'] =>
  type === 'agent' && id ? { type, id, name, avatar: agentAvatarPath(id) } : { type, id, name };

export function toMessage(s: Services, r: MessagesTable): Message {
  return {
    id: r.id,
    conv: r.conversation_id,
    seq: r.seq,
    cid: r.client_id,
    kind: r.kind as MessageKind,
    body: r.body,
    attachments: (JSON.parse(r.attachments) as AttachmentMeta[]).map((a) => withUrl(s, a)),
    sender: senderOf(r.sender_type as Message['sender']['type'], r.sender_id, r.sender_name),
    at: r.created_at,
  };
}

/**
 * A committed message and its `prev` for one reader: the seq of the message before it that this
 * reader may see (0: none). Agents see every message, so theirs is seq − 1; a shopper's skips
 * internal notes, and is absent for rows stored before it was kept. The `msg` frame without `t`
 * (docs/REALTIME.md, "Subscribing and resuming").
 */
export type ChatMessage = { m: Message; prev?: number };

export function chatMessage(s: Services, r: MessagesTable, forCustomer: boolean): ChatMessage {
  const prev = forCustomer ? r.prev_public_seq : r.seq - 1;
  return prev === null ? { m: toMessage(s, r) } : { m: toMessage(s, r), prev };
}

/** Messages after `afterSeq`, oldest first, with their `prev`; shoppers never see internal notes. */
export async function messagesAfter(
  s: Services,
  conversationId: string,
  afterSeq: number,
  limit: number,
  forCustomer: boolean,
): Promise<ChatMessage[]> {
  let q = own(s.db)
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq);
  if (forCustomer) q = q.where('kind', '!=', 'note');
  return (await q.orderBy('seq').limit(limit).execute()).map((r) => chatMessage(s, r, forCustomer));
}

/** A committed message with the `prev` shoppers get (null: not kept for old rows), as on the bus. */
export type ChatEntry = { m: Message; prevPublic: number | null };

/**
 * Every message (notes included) with `afterSeq` < seq < `beforeSeq`, oldest first: what the
 * gateway reads to fill a gap in the live stream (a bus message overtaken by a later one).
 */
export async function messagesBetween(
  s: Services,
  conversationId: string,
  afterSeq: number,
  beforeSeq: number,
  limit: number,
): Promise<ChatEntry[]> {
  const rows = await own(s.db)
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .where('seq', '<', beforeSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ m: toMessage(s, r), prevPublic: r.prev_public_seq }));
}

/** The conversation's last seq (notes included): where a replay ends. */
export async function lastSeqOf(s: Services, workspaceId: string, conversationId: string): Promise<number> {
  return (await getConversationRow(s, workspaceId, conversationId)).last_seq;
}

/** Whether a conversation is the customer's (another tab or device may have started it). */
export async function isCustomersConversation(
  s: Services,
  workspaceId: string,
  customerId: string,
  conversationId: string,
): Promise<boolean> {
  const r = await own(s.db)
    .selectFrom('conversations')
    .select('id')
    .where('id', '=', conversationId)
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Boolean(r);
}

export type ChatPost = {
  clientId: string;
  kind: 'text' | 'note' | 'image' | 'file';
  body: string;
  attachments?: { id: string }[];
};
/** `prev`: as in ChatMessage, for the sender's side (null: not known for a resend of an old row). */
export type Ack = {
  cid: string;
  conv: string;
  id: string;
  seq: number;
  at: string;
  duplicate: boolean;
  prev: number | null;
};

/**
 * Commits a prepared message and (the first time only) puts it on the bus. Resolves once it is
 * durable. `queueKey` names the sender's connection for the writer's per-connection bound
 * (default: the sender). Refusals: `unknown_conversation`, `cid_conflict`, `busy` (BusyError).
 */
export async function commitMessage(s: Services, pm: PendingMessage, queueKey?: string): Promise<Ack> {
  // The writer stores a shopper's `conversation.customer_replied` itself (same transaction as the
  // message, on its own connection), past Events.write: check the payload here, before it is
  // queued. Only the ticket id is read in the transaction (a text column).
  if (pm.senderType === 'customer')
    s.events.check('conversation.customer_replied', { ticketId: 'tkt_', messageId: pm.id, at: pm.createdAt });
  const r = await messageWriter(s).submit(pm, queueKey);
  if (!r.ok) throw new AppError(r.code === 'cid_conflict' ? 409 : 404, r.code, r.message);
  // Committed with the message: delivered now, or by the poller after a crash. Not awaited: the ack does not wait for listeners.
  if (r.eventIds.length)
    s.events
      .deliver(r.eventIds)
      .catch((err: unknown) => s.log.warn({ err }, 'chat event delivery failed; retried later'));
  if (!r.duplicate) {
    const m: Message = {
      id: r.id,
      conv: pm.conversationId,
      seq: r.seq,
      cid: pm.clientId,
      kind: pm.kind,
      body: pm.body,
      attachments: pm.attachments.map((a) => withUrl(s, a)),
      sender: senderOf(pm.senderType, pm.senderId, pm.senderName),
      at: r.createdAt,
    };
    // One bus message per chat message: gateways also treat it as "this conversation's row changed".
    await s.bus.publish(chatChannel, {
      k: 'msg',
      ws: pm.workspaceId,
      m,
      prevPublic: r.prev,
      ...(queueKey ? { src: queueKey } : {}),
    } satisfies ChatBusMessage);
  }
  // After the publish: the message goes out as soon as it is committed (a later message's
  // publish overtaking it costs a gap fill in every gateway).
  if (!r.duplicate && pm.senderType === 'agent' && pm.kind !== 'note' && s.config.assignOnReply)
    await takeOnReply(s, pm);
  // The note is stored whatever happens to its mentions (a failure is logged, not the sender's).
  if (!r.duplicate && pm.senderType === 'agent' && pm.kind === 'note')
    await announceMentions(s, pm, r.id).catch((err: unknown) => s.log.warn({ err }, 'mentions not announced'));
  return {
    cid: pm.clientId ?? '',
    conv: pm.conversationId,
    id: r.id,
    seq: r.seq,
    at: r.createdAt,
    duplicate: r.duplicate,
    prev: pm.senderType === 'customer' ? r.prev : r.seq - 1,
  };
}

/** The writer's `busy` refusal this message would get now, or null (see MessageWriter.wouldRefuse). */
export function sendRefusal(s: Services, pm: PendingMessage, queueKey?: string): AppError | null {
  return messageWriter(s).wouldRefuse(pm, queueKey);
}

export async function postMessage(s: Services, sender: Sender, conversationId: string, p: ChatPost): Promise<Ack> {
  return commitMessage(s, await prepareMessage(s, sender, conversationId, p));
}

/** Records how far a side has read (never backwards) and tells the other side. */
export async function markRead(
  s: Services,
  workspaceId: string,
  conversationId: string,
  by: 'agent' | 'customer',
  seq: number,
): Promise<void> {
  const col = by === 'agent' ? 'agent_last_read_seq' : 'customer_last_read_seq';
  const r = await own(s.db)
    .updateTable('conversations')
    .set({ [col]: seq })
    .where('id', '=', conversationId)
    .where('workspace_id', '=', workspaceId)
    .where(col, '<', seq)
    .where('last_seq', '>=', seq)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) {
    await s.bus.publish(chatChannel, {
      k: 'read',
      ws: workspaceId,
      conv: conversationId,
      by,
      seq,
    } satisfies ChatBusMessage);
    if (by === 'agent')
      await s.bus.publish(chatChannel, { k: 'conv', ws: workspaceId, id: conversationId } satisfies ChatBusMessage);
  }
}

/** The shopper's current conversation in an inbox, or a new one when none is open. */
export async function conversationForCustomer(
  s: Services,
  workspaceId: string,
  inboxId: string,
  customerId: string,
  create: boolean,
): Promise<ConversationsTable | null> {
  const latest = await own(s.db)
    .selectFrom('conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('inbox_id', '=', inboxId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  // A resolved conversation is reopened by the shopper's next message (within 7 days); older ones start afresh.
  const fresh =
    latest && (latest.status !== 'resolved' || Date.parse(latest.updated_at) > s.clock.now().getTime() - 7 * 86400_000);
  if (fresh || !create) return latest ?? null;
  const now = s.clock.now().toISOString();
  const row: ConversationsTable = {
    id: newId('cnv'),
    workspace_id: workspaceId,
    inbox_id: inboxId,
    customer_id: customerId,
    status: 'open',
    assignee_id: null,
    last_seq: 0,
    last_public_seq: 0,
    last_message_at: null,
    last_message_preview: null,
    agent_last_read_seq: 0,
    customer_last_read_seq: 0,
    snoozed_until: null,
    ticket_id: null,
    created_at: now,
    updated_at: now,
  };
  await unitOfWork(s, async (s) => {
    await own(s.db).insertInto('conversations').values(row).execute();
    await publish(s, 'conversation.created', workspaceId, 'conversation', row.id, { inboxId, customerId });
    await afterCommit(s, () =>
      s.bus.publish(chatChannel, { k: 'conv', ws: workspaceId, id: row.id } satisfies ChatBusMessage),
    );
  });
  return row;
}

/** Up to `limit` messages before `beforeSeq`, oldest first (paging back through a long history). */
export async function messagesBefore(
  s: Services,
  conversationId: string,
  beforeSeq: number,
  limit: number,
): Promise<Message[]> {
  const rows = await own(s.db)
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '<', beforeSeq)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map((r) => toMessage(s, r));
}

/** All conversation ids of a customer (the widget shows the history of earlier visits). */
export async function customerConversationIds(s: Services, workspaceId: string, customerId: string): Promise<string[]> {
  const rows = await own(s.db)
    .selectFrom('conversations')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

export async function getConversationRow(s: Services, workspaceId: string, id: string): Promise<ConversationsTable> {
  const r = await own(s.db)
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) throw notFound('conversation');
  return r;
}

export async function getConversation(ctx: Ctx, id: string): Promise<ConversationSummary> {
  await getConversationRow(ctx, ctx.actor.workspaceId, id);
  return (await summaries(ctx, ctx.actor.workspaceId, [id], ctx.actor.permissions.includes('customers.pii')))[0];
}

export async function updateConversation(
  ctx: Ctx,
  id: string,
  patch: { status?: string; assigneeId?: string | null; snoozedUntil?: string | null; force?: boolean },
) {
  const cur = await getConversationRow(ctx, ctx.actor.workspaceId, id);
  await checkAssignment(ctx, cur.assignee_id, patch);
  if (patch.status === 'snoozed' && !patch.snoozedUntil) throw badRequest('snoozing needs snoozedUntil');
  const set: Partial<ConversationsTable> = { updated_at: ctx.clock.now().toISOString() };
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.assigneeId !== undefined) set.assignee_id = patch.assigneeId;
  if (patch.snoozedUntil !== undefined || patch.status !== undefined)
    set.snoozed_until = patch.status === 'snoozed' ? (patch.snoozedUntil ?? null) : null;
  const changes: { status?: { from: unknown; to: unknown }; assignee?: { from: unknown; to: unknown } } = {};
  if (patch.status !== undefined && patch.status !== cur.status)
    changes.status = { from: cur.status, to: patch.status };
  if (patch.assigneeId !== undefined && patch.assigneeId !== cur.assignee_id)
    changes.assignee = { from: cur.assignee_id, to: patch.assigneeId };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).updateTable('conversations').set(set).where('id', '=', id).execute();
    await publish(ctx, 'conversation.updated', ctx.actor.workspaceId, 'conversation', id, changes);
    await afterCommit(ctx, () =>
      ctx.bus.publish(chatChannel, { k: 'conv', ws: ctx.actor.workspaceId, id } satisfies ChatBusMessage),
    );
  });
  return getConversation(ctx, id);
}
