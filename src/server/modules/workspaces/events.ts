import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const change = z.object({ from: z.unknown(), to: z.unknown() });

export const workspaceEvents = defineEvents({
  /** Recorded in both workspaces: the vendor's (who did it) and the new merchant's (how it began). */
  'workspace.created': z.object({ name: z.string(), slug: z.string(), admin: z.string().optional() }),
  'workspace.updated': z.partialRecord(z.enum(['name', 'timezone', 'defaultLanguage']), change),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof workspaceEvents> {}
}
