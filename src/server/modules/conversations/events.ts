import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const change = z.object({ from: z.unknown(), to: z.unknown() });

/** Ids and field names only: message text never goes into an event (events become audit entries). */
export const conversationEvents = defineEvents({
  'conversation.created': z.object({ inboxId: z.string(), customerId: z.string() }),
  'conversation.updated': z.partialRecord(z.enum(['status', 'assignee']), change),
  /** A shopper left a message while nobody could answer (the tickets module makes it a ticket). */
  'conversation.offline_message': z.object({
    inboxId: z.string(),
    customerId: z.string(),
    messageId: z.string(),
    /** A callback request (the phone is on the customer's profile) rather than a message. */
    callback: z.boolean().optional(),
  }),
  /**
   * A shopper wrote in a conversation that feeds a ticket (raised only for such conversations,
   * with the link the conversation holds); the tickets module records it on the ticket.
   */
  'conversation.customer_replied': z.object({ ticketId: z.string(), messageId: z.string(), at: z.string() }),
  /** People an agent's note names with @ (ids only; the notifications module tells them). */
  'conversation.mentioned': z.object({ messageId: z.string(), userIds: z.array(z.string()) }),
  /** Labels put on (`added`) and taken off (`removed`) a conversation, by id. */
  'conversation.labeled': z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  'conversation_label.created': z.object({ name: z.string(), color: z.string() }),
  'conversation_label.updated': z.object({ name: change, color: change }),
  /** `conversations`: how many conversations it was taken off. */
  'conversation_label.deleted': z.object({ name: z.string(), conversations: z.number().int() }),
  /** Saved inbox views (inbox-views.ts): `shared` = with the whole workspace. */
  'inbox_view.created': z.object({ name: z.string(), shared: z.boolean() }),
  /** `filters`: whether its filters were replaced (a rename alone leaves them). */
  'inbox_view.updated': z.object({ name: change, filters: z.boolean() }),
  'inbox_view.deleted': z.object({ name: z.string(), shared: z.boolean() }),
  'canned_reply.created': z.object({ shortCode: z.string() }),
  'canned_reply.updated': z.object({ shortCode: z.string() }),
  'canned_reply.deleted': z.object({}),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof conversationEvents> {}
}
