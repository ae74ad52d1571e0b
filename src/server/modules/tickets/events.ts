import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const change = z.object({ from: z.unknown(), to: z.unknown() });

/** Ticket events: ids, statuses and field names; no message text (events become audit entries). */
export const ticketEvents = defineEvents({
  'ticket.created': z.object({ channel: z.string(), priority: z.string(), type: z.string() }),
  /** Each changed property with its old and new value (`status` among them: metrics count the flow from it). */
  'ticket.updated': z.record(z.string(), change),
  'ticket.replied': z.object({ delivery: z.enum(['web_chat', 'none']) }),
  'ticket.noted': z.object({ delivery: z.enum(['web_chat', 'none']) }),
  'ticket.merged': z.object({ into: z.string() }),
  /** An SLA breach raised the priority or reassigned the ticket, as its policy says. */
  'ticket.escalated': z.object({
    target: z.string(),
    priority: z.string().optional(),
    assignee_id: z.string().optional(),
  }),
  'ticket_type.saved': z.object({ names: z.record(z.string(), z.string()) }),
  'ticket_type.archived': z.object({}),
  'ticket_field.created': z.object({ key: z.string(), type: z.string() }),
  'ticket_field.archived': z.object({}),
  'macro.saved': z.object({ name: z.string() }),
  /** Someone with customers.pii was shown these phone / e-mail fields unmasked (the access is audited; no values). */
  'ticket.pii_viewed': z.object({ fields: z.array(z.string()) }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof ticketEvents> {}
}
