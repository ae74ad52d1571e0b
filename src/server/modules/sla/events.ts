import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

/** Whose clock it is, with what a notification shows and who should hear of it (filled in by the owner). */
const alert = z.object({
  subject: z.object({ type: z.string(), id: z.string(), number: z.number().int().optional(), title: z.string() }),
  target: z.string(),
  cycle: z.number().int(),
  at: z.string(),
  policyId: z.string(),
  notify: z.array(z.string()),
});

export const slaEvents = defineEvents({
  /** A target passed its warning share (once per target cycle). */
  'sla.warning': alert,
  /** A target passed its deadline (once per target cycle). */
  'sla.breached': alert,
  'calendar.saved': z.object({ name: z.string() }),
  'sla_policy.saved': z.object({ name: z.string() }),
  'sla_policy.reordered': z.object({ ids: z.array(z.string()) }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof slaEvents> {}
}

export type SlaAlertEvent = z.output<typeof alert>;
