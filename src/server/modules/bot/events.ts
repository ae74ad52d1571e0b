import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

export const botEvents = defineEvents({
  'bot.settings_saved': z.object({ enabled: z.boolean(), mode: z.string() }),
  /** The bot passed a conversation to the agents (reason: asked_for_human, complaint, two_misses, bot_error…). */
  'bot.handed_off': z.object({ reason: z.string(), intent: z.string().nullable() }),
  /** A shopper rated a bot answer (the next index build learns from it). */
  'bot.rated': z.object({ entryId: z.string(), useful: z.boolean() }),
  /** An agent tied unanswered questions to the entry that answers them (the next index build learns from them). */
  'bot.corrected': z.object({ count: z.number(), via: z.enum(['link', 'agent_reply']) }),
  /** The workspace's LLM settings were saved (never the key itself: only whether one is set). */
  'bot.llm_saved': z.object({ enabled: z.boolean(), baseUrl: z.string(), model: z.string(), keySet: z.boolean() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof botEvents> {}
}
