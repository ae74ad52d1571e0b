import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

/** Counts only: the schedule's addresses stay out of events (they become audit entries). */
export const reportEvents = defineEvents({
  'report_schedule.saved': z.object({
    type: z.string(),
    enabled: z.boolean(),
    localTime: z.string(),
    recipients: z.number().int(),
    /** How many channels were named; null: every enabled channel. */
    channels: z.number().int().nullable(),
  }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof reportEvents> {}
}
