import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

/** Every change names what changed; the bot rebuilds the workspace's index on any of them (on every node). */
export const knowledgeEvents = defineEvents({
  'knowledge.entry_saved': z.object({ question: z.string(), created: z.boolean() }),
  'knowledge.entry_deleted': z.object({ question: z.string() }),
  'knowledge.bulk_changed': z.object({ count: z.number(), deleted: z.boolean() }),
  'knowledge.imported': z.object({ created: z.number(), updated: z.number(), format: z.string() }),
  'knowledge.terms_saved': z.object({ count: z.number() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof knowledgeEvents> {}
}
