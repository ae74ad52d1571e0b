import type { FastifyInstance } from 'fastify';
import { saveShopperContext, shopperContext, ShopperContextBody } from './shopper-context.ts';
import { cityLookup } from './geoip.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, Ok } from '../../../shared/api.ts';
import * as chat from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { assertAllowed, authenticate } from '../../http/auth.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError, badRequest, notFound, unauthenticated } from '../../lib/errors.ts';
import { enforceLimits } from '../../lib/limits.ts';
import { openAttachment, saveUpload, withUrl, maxUploadBytes, type Uploader } from './attachments.ts';
import { createCanned, deleteCanned, listCanned, updateCanned } from './canned.ts';
import {
  getConversation,
  getConversationRow,
  markRead,
  messagesAfter,
  messagesBefore,
  postMessage,
  updateConversation,
} from './service.ts';
import { labelRoutes } from './label-routes.ts';
import { mentionRoutes } from './mentions.ts';
import { listConversations, summaries } from './list.ts';
import { customerExists, getCustomerRow } from '../customers/index.ts';
import { own } from './schema.ts';
import { leaveOfflineMessage, startWidgetSession, verifyWidgetToken, widgetConfig } from './widget.ts';

const PublicIdParam = z.strictObject({ publicId: z.string().min(1).max(64) });

export function conversationRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['conversations'];
  labelRoutes(app, s);
  mentionRoutes(app, s);

  r.get(
    '/api/conversations',
    { config: { permission: 'conversations.read' }, schema: { tags, querystring: chat.ConversationQuery } },
    async (req) => listConversations(ctxOf(s, req), req.query),
  );
  r.get(
    '/api/conversations/:id',
    {
      config: { permission: 'conversations.read' },
      schema: { tags, params: IdParam, response: { 200: chat.ConversationSummary } },
    },
    async (req) => getConversation(ctxOf(s, req), req.params.id),
  );
  r.patch(
    '/api/conversations/:id',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags, params: IdParam, body: chat.UpdateConversationBody },
    },
    async (req) => updateConversation(ctxOf(s, req), req.params.id, req.body),
  );
  r.get(
    '/api/conversations/:id/messages',
    {
      config: { permission: 'conversations.read' },
      schema: { tags, params: IdParam, querystring: chat.MessagesQuery },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      await getConversationRow(ctx, ctx.actor.workspaceId, req.params.id);
      const { after, before, limit } = req.query;
      return {
        items: before
          ? await messagesBefore(ctx, req.params.id, before, limit)
          : (await messagesAfter(ctx, req.params.id, after, limit, false)).map((x) => x.m),
      };
    },
  );
  r.post(
    '/api/conversations/:id/messages',
    { config: { permission: 'conversations.manage' }, schema: { tags, params: IdParam, body: chat.SendMessageBody } },
    async (req) => {
      const { actor } = ctxOf(s, req);
      return postMessage(
        s,
        { type: 'agent', id: actor.userId, name: actor.name, workspaceId: actor.workspaceId },
        req.params.id,
        req.body,
      );
    },
  );
  // A read receipt is shown to the shopper: a write, not for read-only roles.
  r.post(
    '/api/conversations/:id/read',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags, params: IdParam, body: z.strictObject({ seq: z.number().int().min(0) }), response: { 200: Ok } },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      await getConversationRow(ctx, ctx.actor.workspaceId, req.params.id);
      await markRead(s, ctx.actor.workspaceId, req.params.id, 'agent', req.body.seq);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/customers/:id/conversations',
    { config: { permission: 'customers.read' }, schema: { tags, params: IdParam } },
    async (req) => {
      const ctx = ctxOf(s, req);
      await getCustomerRow(ctx, ctx.actor.workspaceId, req.params.id);
      const ids = await own(ctx.db)
        .selectFrom('conversations')
        .select('id')
        .where('workspace_id', '=', ctx.actor.workspaceId)
        .where('customer_id', '=', req.params.id)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return {
        items: await summaries(
          ctx,
          ctx.actor.workspaceId,
          ids.map((i) => i.id),
          ctx.actor.permissions.includes('customers.pii'),
        ),
      };
    },
  );

  r.get(
    '/api/canned-replies',
    { config: { permission: 'conversations.read' }, schema: { tags: ['canned replies'] } },
    async (req) => ({ items: await listCanned(ctxOf(s, req)) }),
  );
  r.post(
    '/api/canned-replies',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags: ['canned replies'], body: chat.CannedReplyBody, response: { 200: chat.CannedReply } },
    },
    async (req) => createCanned(ctxOf(s, req), req.body),
  );
  r.patch(
    '/api/canned-replies/:id',
    {
      config: { permission: 'conversations.manage' },
      schema: {
        tags: ['canned replies'],
        params: IdParam,
        body: chat.CannedReplyBody,
        response: { 200: chat.CannedReply },
      },
    },
    async (req) => updateCanned(ctxOf(s, req), req.params.id, req.body),
  );
  r.delete(
    '/api/canned-replies/:id',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags: ['canned replies'], params: IdParam, response: { 200: Ok } },
    },
    async (req) => {
      await deleteCanned(ctxOf(s, req), req.params.id);
      return { ok: true as const };
    },
  );

  // Uploads come from agents (session or token) or shoppers (widget token).
  r.post(
    '/api/uploads',
    {
      config: { auth: 'public' },
      schema: { tags: ['attachments'], summary: 'multipart field `file`; Authorization: Widget <token> for shoppers' },
    },
    async (req) => {
      const widget = req.headers.authorization?.match(/^Widget\s+(\S+)$/)?.[1];
      let who: Uploader;
      if (widget) {
        const c = await verifyWidgetToken(s, widget);
        if (!c) throw new AppError(401, 'invalid_widget_token', 'the widget session is invalid or expired');
        who = { workspaceId: c.w, type: 'customer', id: c.c };
      } else {
        const actor = await authenticate(s, req);
        if (!actor) throw unauthenticated();
        assertAllowed(actor, { permission: 'conversations.manage' });
        who = { workspaceId: actor.workspaceId, type: 'agent', id: actor.userId };
      }
      // Counted before a byte is read: per uploader, per workspace (many visitors at once), and for
      // shoppers per address too (agents are known people; a call centre shares one address).
      const minute = 60_000;
      await enforceLimits(s.limiter, [
        { key: `upload:who:${who.type}:${who.id}`, max: s.config.uploadRatePerMinute, windowMs: minute },
        ...(who.type === 'customer'
          ? [{ key: `upload:ip:${req.ip}`, max: s.config.uploadIpRatePerMinute, windowMs: minute }]
          : []),
        { key: `upload:ws:${who.workspaceId}`, max: s.config.uploadWorkspaceRatePerMinute, windowMs: minute },
      ]);
      if (!req.isMultipart()) throw badRequest('send the file as multipart/form-data, field `file`');
      const file = await req.file({ limits: { fileSize: maxUploadBytes, files: 1 } });
      if (!file) throw badRequest('no file in the request');
      return withUrl(s, await saveUpload(s, who, file));
    },
  );
  r.get(
    '/api/attachments/:id',
    {
      config: { auth: 'public' },
      schema: { tags: ['attachments'], params: IdParam, querystring: z.strictObject({ t: z.string().max(500) }) },
    },
    async (req, reply) => {
      const { meta, body } = await openAttachment(s, req.params.id, req.query.t);
      const inline = meta.mime.startsWith('image/');
      return reply
        .header('content-type', meta.mime)
        .header('content-length', meta.size)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .header(
          'content-disposition',
          `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
        )
        .send(body);
    },
  );

  r.get(
    '/api/widget/:publicId/config',
    {
      config: { auth: 'public' },
      schema: { tags: ['widget'], params: PublicIdParam, response: { 200: chat.WidgetConfig } },
    },
    async (req) => widgetConfig(s, req.params.publicId),
  );
  r.post(
    '/api/widget/:publicId/session',
    {
      config: { auth: 'public', rateLimit: { max: s.config.widgetRatePerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['widget'],
        params: PublicIdParam,
        body: chat.WidgetSessionBody,
        response: { 200: chat.WidgetSession },
      },
    },
    async (req) => startWidgetSession(s, req.params.publicId, req.body),
  );
  r.post(
    '/api/widget/:publicId/offline-message',
    {
      config: { auth: 'public', rateLimit: { max: s.config.offlineRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['widget'], params: PublicIdParam, body: chat.OfflineMessageBody, response: { 200: Ok } },
    },
    async (req) => {
      const widget = req.headers.authorization?.match(/^Widget\s+(\S+)$/)?.[1];
      await leaveOfflineMessage(
        s,
        req.params.publicId,
        widget ? await verifyWidgetToken(s, widget) : null,
        req.body,
        req.ip,
      );
      return { ok: true as const };
    },
  );
  // The shopper's context: the widget reports its page; agents read it in the sidebar.
  r.post(
    '/api/widget/:publicId/context',
    {
      config: { auth: 'public', rateLimit: { max: s.config.widgetRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['widget'], params: PublicIdParam, body: ShopperContextBody },
    },
    async (req) => {
      const token = req.headers.authorization?.match(/^Widget\s+(\S+)$/)?.[1];
      const claims = token ? await verifyWidgetToken(s, token) : null;
      if (!claims) throw new AppError(401, 'invalid_widget_token', 'the widget session is invalid or expired');
      return saveShopperContext({ ...s, cityOf: cityLookup(s) }, claims, req.params.publicId, req.body, {
        userAgent: req.headers['user-agent'] ?? '',
        ip: req.ip,
      });
    },
  );
  r.get(
    '/api/customers/:id/context',
    { config: { permission: 'customers.read' }, schema: { tags, params: IdParam } },
    async (req) => {
      const ctx = ctxOf(s, req);
      if (!(await customerExists(ctx, ctx.actor.workspaceId, req.params.id))) throw notFound('customer');
      // `geoip`: whether addresses are located here at all (a context without a city is then "unknown").
      return {
        context: await shopperContext(ctx, ctx.actor.workspaceId, req.params.id),
        geoip: !!s.config.geoipDatabase,
      };
    },
  );
}
