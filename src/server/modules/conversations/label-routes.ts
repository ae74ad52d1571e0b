/**
 * Conversation labels over HTTP: the workspace's list (admins edit it in settings) and a
 * conversation's set; and the saved inbox views that filter by them (anyone who reads
 * conversations keeps their own; shared ones are administrators').
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, Ok } from '../../../shared/api.ts';
import * as chat from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { createInboxView, deleteInboxView, listInboxViews, updateInboxView } from './inbox-views.ts';
import { createLabel, deleteLabel, listLabels, setConversationLabels, updateLabel } from './labels.ts';

export function labelRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['conversation labels'];
  r.get(
    '/api/conversation-labels',
    {
      config: { permission: 'conversations.read' },
      schema: { tags, response: { 200: z.object({ items: z.array(chat.ConversationLabel) }) } },
    },
    async (req) => ({ items: await listLabels(ctxOf(s, req)) }),
  );
  r.post(
    '/api/conversation-labels',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, body: chat.ConversationLabelBody, response: { 200: chat.ConversationLabel } },
    },
    async (req) => createLabel(ctxOf(s, req), req.body),
  );
  r.patch(
    '/api/conversation-labels/:id',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, params: IdParam, body: chat.ConversationLabelBody, response: { 200: chat.ConversationLabel } },
    },
    async (req) => updateLabel(ctxOf(s, req), req.params.id, req.body),
  );
  r.delete(
    '/api/conversation-labels/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, response: { 200: Ok } } },
    async (req) => {
      await deleteLabel(ctxOf(s, req), req.params.id);
      return { ok: true as const };
    },
  );
  r.put(
    '/api/conversations/:id/labels',
    {
      config: { permission: 'conversations.manage' },
      schema: {
        tags,
        params: IdParam,
        body: chat.ConversationLabelsBody,
        response: { 200: z.object({ labelIds: z.array(z.string()) }) },
      },
    },
    async (req) => ({ labelIds: await setConversationLabels(ctxOf(s, req), req.params.id, req.body.labelIds) }),
  );

  const views = ['inbox views'];
  const read = { permission: 'conversations.read' as const };
  r.get(
    '/api/inbox-views',
    { config: read, schema: { tags: views, response: { 200: z.object({ items: z.array(chat.InboxView) }) } } },
    async (req) => ({ items: await listInboxViews(ctxOf(s, req)) }),
  );
  r.post(
    '/api/inbox-views',
    { config: read, schema: { tags: views, body: chat.InboxViewBody, response: { 200: chat.InboxView } } },
    async (req) => createInboxView(ctxOf(s, req), req.body),
  );
  r.patch(
    '/api/inbox-views/:id',
    {
      config: read,
      schema: { tags: views, params: IdParam, body: chat.InboxViewPatch, response: { 200: chat.InboxView } },
    },
    async (req) => updateInboxView(ctxOf(s, req), req.params.id, req.body),
  );
  r.delete(
    '/api/inbox-views/:id',
    { config: read, schema: { tags: views, params: IdParam, response: { 200: Ok } } },
    async (req) => {
      await deleteInboxView(ctxOf(s, req), req.params.id);
      return { ok: true as const };
    },
  );
}
