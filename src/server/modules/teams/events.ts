import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

export const teamEvents = defineEvents({
  'group.saved': z.object({ name: z.string() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof teamEvents> {}
}
