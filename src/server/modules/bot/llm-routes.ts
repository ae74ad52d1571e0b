/** The workspace's LLM settings (settings.manage): read (never the key), save, test. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BotLlmBody } from '../../../shared/bot-llm-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { getLlmSettings, saveLlmSettings, testLlm } from './llm-settings.ts';

export function llmRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['bot'];
  r.get('/api/bot/llm', { config: { permission: 'settings.manage' }, schema: { tags } }, async (req) =>
    getLlmSettings(ctxOf(s, req)),
  );
  r.put(
    '/api/bot/llm',
    { config: { permission: 'settings.manage' }, schema: { tags, body: BotLlmBody } },
    async (req) => saveLlmSettings(ctxOf(s, req), req.body),
  );
  r.post('/api/bot/llm/test', { config: { permission: 'settings.manage' }, schema: { tags } }, async (req) =>
    testLlm(ctxOf(s, req)),
  );
}
