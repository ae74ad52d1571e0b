/** What other modules' events mean for tickets. */
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import type { ModuleListener } from '../../module.ts';
import { conversationLink, messageText } from '../conversations/index.ts';
import { customerReplied } from './actions.ts';
import { onTicketAlert, recompute } from './clock.ts';
import { systemWho } from './model.ts';
import { own } from './schema.ts';
import { createTicket } from './service.ts';

/** A message left while nobody could answer becomes a ticket linked to its conversation (or joins its open one). */
async function offlineMessage(e: DomainEvent<'conversation.offline_message'>, s: Services): Promise<void> {
  const conv = await conversationLink(s, e.workspaceId, e.objectId!);
  if (!conv) return;
  const msg = await messageText(s, e.data.messageId);
  if (conv.ticketId) {
    const open = await own(s.db)
      .selectFrom('tickets')
      .select('status')
      .where('id', '=', conv.ticketId)
      .executeTakeFirst();
    if (open && open.status !== 'closed')
      return customerReplied(s, e.workspaceId, conv.ticketId, msg?.createdAt ?? e.at, msg?.body ?? null);
  }
  const subject = (msg?.body ?? '').split('\n')[0].slice(0, 80) || 'Offline message';
  await createTicket(s, systemWho(e.workspaceId), {
    subject,
    description: msg?.body,
    priority: 'normal',
    type: 'inquiry',
    status: 'new',
    conversationId: conv.id,
    // A callback request: the phone the shopper left is on the customer's profile (masked by PII rules).
    tags: e.data.callback ? ['offline', 'callback'] : ['offline'],
    fields: {},
    channel: 'web',
  });
}

/** A shopper wrote in a conversation that feeds a ticket: the reply goes on the ticket. */
async function conversationReplied(e: DomainEvent<'conversation.customer_replied'>, s: Services): Promise<void> {
  const msg = await messageText(s, e.data.messageId);
  await customerReplied(s, e.workspaceId, e.data.ticketId, e.data.at, msg?.body ?? null);
}

/**
 * A policy saved (new, edited or enabled): unsolved tickets that have no policy yet get the first
 * one that matches them now, timed from their creation like any ticket. Tickets that already have
 * a policy keep it (its snapshot is their history).
 */
async function policySaved(e: DomainEvent<'sla_policy.saved'>, s: Services): Promise<void> {
  const ids = await own(s.db)
    .selectFrom('tickets')
    .select('id')
    .where('workspace_id', '=', e.workspaceId)
    .where('sla', 'is', null)
    .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
    .where('merged_into_id', 'is', null)
    .execute();
  for (const { id } of ids) await recompute(s, id);
}

export const ticketListeners: ModuleListener[] = [
  { name: 'sla_policy_saved', on: ['sla_policy.saved'], handle: (e, s) => policySaved(e as never, s) },
  { name: 'offline_message', on: ['conversation.offline_message'], handle: (e, s) => offlineMessage(e as never, s) },
  {
    name: 'customer_replied',
    on: ['conversation.customer_replied'],
    handle: (e, s) => conversationReplied(e as never, s),
  },
  { name: 'sla_alert', on: ['sla.warning', 'sla.breached'], handle: (e, s) => onTicketAlert(e as never, s) },
];
