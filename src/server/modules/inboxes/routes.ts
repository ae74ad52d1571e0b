import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import { CreateInboxBody, Inbox, InboxList, UpdateInboxBody } from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { createInbox, getInbox, listInboxes, updateInbox } from './service.ts';

/** The URL shoppers' browsers reach Kefu at: configured, else the request's own origin. */
export function publicUrlOf(s: Services, req: FastifyRequest): string {
  return s.config.publicUrl ?? `${req.protocol}://${req.host}`;
}

export function inboxRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/inboxes',
    { config: { permission: 'conversations.read' }, schema: { tags: ['inboxes'], response: { 200: InboxList } } },
    async (req) => ({
      items: await listInboxes(ctxOf(s, req), publicUrlOf(s, req)),
    }),
  );
  r.get(
    '/api/inboxes/:id',
    {
      config: { permission: 'conversations.read' },
      schema: { tags: ['inboxes'], params: IdParam, response: { 200: Inbox } },
    },
    async (req) => getInbox(ctxOf(s, req), req.params.id, publicUrlOf(s, req)),
  );
  r.post(
    '/api/inboxes',
    {
      config: { permission: 'settings.manage' },
      schema: { tags: ['inboxes'], body: CreateInboxBody, response: { 200: Inbox } },
    },
    async (req) => createInbox(ctxOf(s, req), req.body, publicUrlOf(s, req)),
  );
  r.patch(
    '/api/inboxes/:id',
    {
      config: { permission: 'settings.manage' },
      schema: { tags: ['inboxes'], params: IdParam, body: UpdateInboxBody, response: { 200: Inbox } },
    },
    async (req) => updateInbox(ctxOf(s, req), req.params.id, req.body, publicUrlOf(s, req)),
  );
}
