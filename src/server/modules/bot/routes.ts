import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import {
  BotRatingBody,
  BotSettings,
  LinkUnansweredBody,
  TryBody,
  WidgetPublicIdParam,
} from '../../../shared/bot-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { linkUnanswered } from './corrections.ts';
import { stopWatching, watchKnowledge } from './knowledge-index.ts';
import { startBot, stopBot } from './participant.ts';
import { rateAnswer } from './ratings.ts';
import { tryIt, unanswered } from './service.ts';
import { llmRoutes } from './llm-routes.ts';
import { getBotSettings, saveBotSettings } from './settings.ts';

export function botRoutes(app: FastifyInstance, s: Services): void {
  // The bot listens wherever the API runs (web and realtime nodes); it stops with the server.
  app.addHook('onReady', async () => {
    await watchKnowledge(s);
    await startBot(s);
  });
  app.addHook('onClose', async () => {
    await stopBot(s);
    await stopWatching(s);
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['bot'];
  r.get(
    '/api/bot/inboxes/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam } },
    async (req) => getBotSettings(ctxOf(s, req), req.params.id),
  );
  r.put(
    '/api/bot/inboxes/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, body: BotSettings } },
    async (req) => saveBotSettings(ctxOf(s, req), req.params.id, req.body),
  );
  r.get(
    '/api/bot/try',
    { config: { permission: 'knowledge.read' }, schema: { tags, querystring: TryBody } },
    async (req) => tryIt(ctxOf(s, req), req.query.text, req.query.channel),
  );
  // A shopper rates a bot answer from the widget (Authorization: Widget <token>).
  r.post(
    '/api/widget/:publicId/bot-rating',
    {
      config: { auth: 'public', rateLimit: { max: s.config.widgetRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['widget'], params: WidgetPublicIdParam, body: BotRatingBody },
    },
    async (req) => rateAnswer(s, req.headers.authorization?.match(/^Widget\s+(\S+)$/)?.[1], req.body),
  );
  llmRoutes(app, s);
  r.get('/api/bot/unanswered', { config: { permission: 'knowledge.read' }, schema: { tags } }, async (req) =>
    unanswered(ctxOf(s, req)),
  );
  // An agent ties unanswered questions to the entry that answers them: the bot learns from it.
  r.post(
    '/api/bot/unanswered/link',
    { config: { permission: 'knowledge.manage' }, schema: { tags, body: LinkUnansweredBody } },
    async (req) => linkUnanswered(ctxOf(s, req), req.body),
  );
}
