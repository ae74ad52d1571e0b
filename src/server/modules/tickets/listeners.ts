/** What other modules' events mean for tickets. */
import type { Services } from '../../context.ts';
import type { Events } from '../../lib/events.ts';
import { customerReplied } from './actions.ts';
import { createTicket } from './service.ts';

export function registerTicketListeners(events: Events, s: Services): void {
  // A message left while nobody could answer becomes a ticket linked to its conversation.
  events.on('conversation.offline_message', async (e) => {
    const conv = await s.db
      .selectFrom('conversations')
      .select(['id', 'ticket_id'])
      .where('id', '=', e.objectId!)
      .executeTakeFirst();
    if (!conv) return;
    const msg = await s.db
      .selectFrom('messages')
      .select(['body', 'created_at'])
      .where('id', '=', String(e.data.messageId))
      .executeTakeFirst();
    if (conv.ticket_id) {
      const open = await s.db
        .selectFrom('tickets')
        .select('status')
        .where('id', '=', conv.ticket_id)
        .executeTakeFirst();
      if (open && open.status !== 'closed')
        return customerReplied(s, e.workspaceId, conv.ticket_id, msg?.created_at ?? e.at, msg?.body ?? null);
    }
    const subject = (msg?.body ?? '').split('\n')[0].slice(0, 80) || 'Offline message';
    await createTicket(
      s,
      { actor: { type: 'system', id: null, name: null }, workspaceId: e.workspaceId, pii: false },
      {
        subject,
        description: msg?.body,
        priority: 'normal',
        type: 'inquiry',
        status: 'new',
        conversationId: conv.id,
        tags: ['offline'],
        fields: {},
        channel: 'web',
      },
    );
  });
  events.on('ticket.customer_replied', async (e) => {
    const msg = await s.db
      .selectFrom('messages')
      .select('body')
      .where('id', '=', String(e.data.messageId))
      .executeTakeFirst();
    await customerReplied(s, e.workspaceId, e.objectId!, String(e.data.at), msg?.body ?? null);
  });
}
