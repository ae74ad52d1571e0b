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
  /** A party signed a report off (published in the report's workspace; the actor is who signed). */
  'report.signed': z.object({
    type: z.string(),
    periodKey: z.string(),
    party: z.enum(['merchant', 'vendor']),
    sha256: z.string(),
  }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof reportEvents> {}
}
