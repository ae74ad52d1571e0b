import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../../../shared/api.ts';
import * as api from '../../../shared/csat-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError } from '../../lib/errors.ts';
import { verifyWidgetToken } from '../conversations/index.ts';
import { inboxByPublicId, publicUrlOf } from '../inboxes/index.ts';
import { activeMembers } from '../users/index.ts';
import { linkPath, linkRoutes, linkToken } from './link-page.ts';
import { agentCsat, listRatings, requestsOf } from './queries.ts';
import type { CsatRequestsTable } from './schema.ts';
import { askAndPost, assertSubject, rate, requestRow, stateOf, surveyOf, type SubjectType } from './service.ts';
import { allSettings, saveSettings } from './settings.ts';

const ScopeParam = z.strictObject({ id: z.union([z.literal(api.csatScopeAll), z.string().min(1).max(64)]) });
const WidgetParams = z.strictObject({ publicId: z.string().min(1).max(64), requestId: z.string().min(1).max(64) });
const AgentQuery = z.strictObject({ from: z.iso.datetime().optional() });

const notFound = () => new AppError(404, 'csat_not_found', 'no such rating request for this chat');

/** The request, if the widget session asking is the shopper's own (same customer, inbox, workspace). */
async function widgetRow(s: Services, req: FastifyRequest, publicId: string, requestId: string) {
  const token = req.headers.authorization?.match(/^Widget\s+(\S+)$/)?.[1];
  const claims = token ? await verifyWidgetToken(s, token) : null;
  if (!claims) throw new AppError(401, 'invalid_widget_token', 'the widget session is invalid or expired');
  const inbox = await inboxByPublicId(s, publicId);
  if (claims.i !== inbox.id) throw notFound();
  return async (tx: { db: Services['db'] }) => {
    const row = await requestRow(tx, requestId).catch(() => null);
    if (!row || row.workspace_id !== claims.w || row.customer_id !== claims.c) throw notFound();
    return row;
  };
}

/** What the widget's card shows: the survey as asked, and the rating once given. */
function card(row: CsatRequestsTable, now: Date) {
  const survey = surveyOf(row);
  return {
    requestId: row.id,
    state: stateOf(row, now),
    scale: survey.scale,
    prompt: survey.prompt,
    commentPrompt: survey.commentPrompt,
    thanks: survey.thanks,
    questions: survey.questions,
    expiresAt: row.expires_at,
    rating: row.rated_at ? { score: row.score, comment: row.comment } : null,
  };
}

export function csatRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['csat'];

  r.get('/api/csat/settings', { config: { permission: 'conversations.read' }, schema: { tags } }, async (req) =>
    allSettings(s, ctxOf(s, req).actor.workspaceId),
  );
  r.put(
    '/api/csat/settings/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: ScopeParam, body: api.CsatSettings } },
    async (req) => saveSettings(ctxOf(s, req), req.params.id, req.body),
  );
  r.get(
    '/api/csat/ratings',
    { config: { permission: 'reports.read' }, schema: { tags, querystring: api.CsatRatingsQuery } },
    async (req) => ({
      items: await listRatings(s, { workspaceId: ctxOf(s, req).actor.workspaceId, ...req.query }),
    }),
  );
  r.get(
    '/api/csat/agents/:id',
    { config: { permission: 'conversations.read' }, schema: { tags, params: IdParam, querystring: AgentQuery } },
    async (req) => {
      const ctx = ctxOf(s, req);
      const [person] = await activeMembers(ctx, ctx.actor.workspaceId, [req.params.id]);
      if (!person) throw new AppError(404, 'not_found', 'agent not found');
      const stats = await agentCsat(ctx, ctx.actor.workspaceId, req.params.id, req.query.from);
      return { agent: { id: person.id, name: person.name, role: person.role }, ...stats };
    },
  );

  const subjectRoutes = (type: SubjectType, base: string, read: 'conversations' | 'tickets') => {
    r.get(
      `${base}/:id/csat`,
      { config: { permission: `${read}.read` }, schema: { tags, params: IdParam } },
      async (req) => {
        const ctx = ctxOf(s, req);
        await assertSubject(ctx, ctx.actor.workspaceId, { type, id: req.params.id });
        return { items: await requestsOf(ctx, ctx.actor.workspaceId, type, req.params.id, ctx.clock.now()) };
      },
    );
    r.post(
      `${base}/:id/csat/request`,
      { config: { permission: `${read}.manage` }, schema: { tags, params: IdParam } },
      async (req) => {
        const ctx = ctxOf(s, req);
        const row = await askAndPost(ctx, ctx.actor.workspaceId, { type, id: req.params.id }, ctx.actor.userId);
        return {
          id: row.id,
          state: stateOf(row, ctx.clock.now()),
          expiresAt: row.expires_at,
          link: `${publicUrlOf(s, req)}${linkPath(linkToken(s, row))}`,
        };
      },
    );
  };
  subjectRoutes('conversation', '/api/conversations', 'conversations');
  subjectRoutes('ticket', '/api/tickets', 'tickets');

  const widgetLimit = { max: s.config.widgetRatePerMinute, timeWindow: '1 minute' };
  r.get(
    '/api/widget/:publicId/csat/:requestId',
    { config: { auth: 'public', rateLimit: widgetLimit }, schema: { tags: ['widget'], params: WidgetParams } },
    async (req) => {
      const find = await widgetRow(s, req, req.params.publicId, req.params.requestId);
      return card(await find(s), s.clock.now());
    },
  );
  r.post(
    '/api/widget/:publicId/csat/:requestId',
    {
      config: { auth: 'public', rateLimit: widgetLimit },
      schema: { tags: ['widget'], params: WidgetParams, body: api.RateBody },
    },
    async (req) => {
      const find = await widgetRow(s, req, req.params.publicId, req.params.requestId);
      const row = await rate({ ...s, ip: req.ip }, find, req.body, 'widget');
      return card(row, s.clock.now());
    },
  );
  linkRoutes(app, s);
}
