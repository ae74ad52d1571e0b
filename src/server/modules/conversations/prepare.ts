/**
 * A message before it is queued for the writer: every check that can refuse it (`checkPost`
 * needs no database; attachments and an agent's display name may), and the row it becomes.
 */
import { hasOrderCardToken } from '../../../shared/order-card.ts';
import type { Services } from '../../context.ts';
import { badRequest } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { publicAgentName } from '../users/index.ts';
import { attachmentsFor } from './attachments.ts';
import type { ChatPost, Sender } from './service.ts';
import type { PendingMessage } from './writer.ts';

/** The checks that need no database: run before anything is created for a message. */
export function checkPost(sender: Sender, p: ChatPost): void {
  if (p.kind === 'note' && sender.type !== 'agent') throw badRequest('only agents write internal notes');
  if (!p.body.trim() && !p.attachments?.length) throw badRequest('a message needs text or an attachment');
  // Order cards are built by the store module from the store's own data (shared/order-card.ts).
  if (sender.type === 'customer' && hasOrderCardToken(p.body)) throw badRequest('shoppers cannot send order cards');
}

/**
 * Validates a message and resolves its attachments: everything that can refuse it, before it is
 * queued. Kept apart from the commit so a connection can prepare its next message while the
 * previous one is still being committed, in order. A text message from a shopper (or from an agent
 * whose display name is known) needs no database read and is returned at once, not as a promise:
 * the chat gateway prepares thousands a second.
 */
export function prepareMessage(
  s: Services,
  sender: Sender,
  conversationId: string,
  p: ChatPost,
): PendingMessage | Promise<PendingMessage> {
  checkPost(sender, p);
  if (p.attachments?.length || (sender.type === 'agent' && sender.publicName == null))
    return prepareWithReads(s, sender, conversationId, p);
  return pendingMessage(s, sender, conversationId, p, [], sender.type === 'agent' ? sender.publicName! : sender.name);
}

async function prepareWithReads(s: Services, sender: Sender, conversationId: string, p: ChatPost) {
  const ids = (p.attachments ?? []).map((a) => a.id);
  const attachments = ids.length
    ? await attachmentsFor(s, { workspaceId: sender.workspaceId, type: sender.type, id: sender.id }, ids)
    : [];
  if (p.kind === 'image' && !attachments.every((a) => a.mime.startsWith('image/')))
    throw badRequest('an image message takes image attachments only');
  // Shoppers see an agent's display name (昵称) or no name (the widget's word for support), never the account name; notes keep it.
  const shown = sender.type !== 'agent' ? sender.name : (sender.publicName ?? (await publicAgentName(s, sender.id)));
  return pendingMessage(s, sender, conversationId, p, attachments, shown);
}

function pendingMessage(
  s: Services,
  sender: Sender,
  conversationId: string,
  p: ChatPost,
  attachments: PendingMessage['attachments'],
  shown: string | null,
): PendingMessage {
  return {
    id: newId('msg'),
    workspaceId: sender.workspaceId,
    conversationId,
    clientId: p.clientId,
    senderType: sender.type,
    senderId: sender.id,
    senderName: sender.type === 'agent' && p.kind === 'note' ? (shown ?? sender.name) : shown,
    kind: p.kind,
    body: p.body,
    attachments,
    createdAt: s.clock.now().toISOString(),
  };
}
