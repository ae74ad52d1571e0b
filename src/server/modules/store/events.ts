import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

export const storeEvents = defineEvents({
  'store.settings_saved': z.object({ adapter: z.string() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof storeEvents> {}
}
