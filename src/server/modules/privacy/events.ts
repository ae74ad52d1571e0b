import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const counts = z.record(z.string(), z.number());

/** Counts only: what was exported, erased or purged is never written into an event (or the audit log). */
export const privacyEvents = defineEvents({
  'customer.exported': z.object({ counts }),
  'customer.erased': z.object({ counts }),
  'retention.saved': z.object({ rules: z.record(z.string(), z.number().nullable()) }),
  'retention.purged': z.object({ kind: z.string(), days: z.number(), purged: z.number() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof privacyEvents> {}
}
