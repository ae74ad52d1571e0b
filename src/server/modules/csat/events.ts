import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const subject = { subjectType: z.enum(['conversation', 'ticket']), subjectId: z.string() };

/** Scores and ids only: a comment is the shopper's text and stays out of events (they become audit entries). */
export const csatEvents = defineEvents({
  /** A shopper was asked to rate (on resolution, or again by hand: `byHand`). */
  'csat.requested': z.object({ ...subject, byHand: z.boolean() }),
  /** A shopper rated: for reports and webhooks. */
  'csat.rated': z.object({
    ...subject,
    requestId: z.string(),
    score: z.number().int().min(1).max(5),
    scale: z.enum(['stars', 'faces']),
    agentId: z.string().nullable(),
    inboxId: z.string().nullable(),
    customerId: z.string().nullable(),
    hasComment: z.boolean(),
    via: z.enum(['widget', 'link']),
  }),
  'csat.settings_saved': z.object({ inboxId: z.string(), enabled: z.boolean(), scale: z.enum(['stars', 'faces']) }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof csatEvents> {}
}
