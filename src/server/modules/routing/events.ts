import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

export const routingEvents = defineEvents({
  /** A conversation was transferred to an agent or a group (both sides are told; the audit log keeps the history). */
  'routing.transferred': z.object({
    from: z.string().nullable(),
    toAgent: z.string().nullable(),
    toGroup: z.string().nullable(),
    reason: z.string().nullable(),
  }),
  /** An agent's presence changed (chosen status, last connection closed after the grace period). */
  'routing.presence_changed': z.object({ from: z.string(), to: z.string(), requeued: z.number().int() }),
  /** A conversation waits for a skill or group nobody has: the supervisor is warned. */
  'routing.unroutable': z.object({ reason: z.string(), skills: z.array(z.string()), groupId: z.string().nullable() }),
  'routing.rule_saved': z.object({ inboxId: z.string(), strategy: z.string(), enabled: z.boolean() }),
  /** Surge mode went on or off (by hand, schedule, the promotion calendar, or the queue's length). */
  'routing.surge_changed': z.object({
    active: z.boolean(),
    reason: z.string().nullable(),
    promotion: z.string().nullable(),
    queueLength: z.number().int(),
  }),
  'routing.surge_saved': z.object({
    mode: z.string(),
    queueAbove: z.number().int().nullable(),
    queueBelow: z.number().int().nullable(),
    promotions: z.boolean(),
    windows: z.number().int(),
    deferInboxes: z.number().int(),
  }),
  'routing.agent_saved': z.object({ capacityChat: z.number().int(), capacityTicket: z.number().int() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof routingEvents> {}
}
