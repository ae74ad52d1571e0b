import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

export const inboxEvents = defineEvents({
  'inbox.created': z.object({ name: z.string() }),
  /** The names of the changed settings (their values may be secrets). */
  'inbox.updated': z.object({ fields: z.array(z.string()) }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof inboxEvents> {}
}
