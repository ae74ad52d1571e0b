import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

/** Ids and counts only (an audit entry): which profile was merged into which, and what moved. */
export const customerMergeEvents = defineEvents({
  'customer.merged': z.object({
    from: z.string(),
    moved: z.record(z.string(), z.number()),
    fields: z.array(z.string()),
  }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof customerMergeEvents> {}
}
