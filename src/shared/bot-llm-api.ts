/** The bot's optional LLM per workspace: an OpenAI-compatible endpoint that re-ranks and may phrase answers. */
import { z } from 'zod';

export const llmTimeoutDefaultMs = 3000;

export const BotLlmBody = z.strictObject({
  enabled: z.boolean(),
  /** The API's base, e.g. https://api.openai.com/v1 (requests go to `<base>/chat/completions`). */
  baseUrl: z
    .string()
    .trim()
    .max(300)
    .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/, 'an http(s) URL without query or fragment'),
  model: z.string().trim().min(1).max(100),
  /** Omitted: keep the stored key; null: remove it. Never returned. */
  apiKey: z.string().trim().min(1).max(500).nullable().optional(),
  /** Past this the offline bot answers alone. */
  timeoutMs: z.number().int().min(500).max(15_000).default(llmTimeoutDefaultMs),
  /** Whether the LLM may phrase the answer (strictly from the chosen entry) or only re-rank. */
  phrase: z.boolean().default(false),
});
export type BotLlmBody = z.output<typeof BotLlmBody>;

export type BotLlmStatus = {
  /** The last call's outcome in this process: true ok, false failed, null none yet. */
  up: boolean | null;
  lastError: string | null;
  lastAt: string | null;
  lastMs: number | null;
};

export type BotLlmView = {
  configured: boolean;
  enabled: boolean;
  baseUrl: string;
  model: string;
  keySet: boolean;
  timeoutMs: number;
  phrase: boolean;
  status: BotLlmStatus;
};
