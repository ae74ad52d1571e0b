import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam, NotificationList, Ok } from '../../../shared/api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { listNotifications, markNotificationRead } from './service.ts';

export function notificationRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  r.get(
    '/api/notifications',
    { config: { auth: 'user' }, schema: { tags, response: { 200: NotificationList } } },
    async (req) => listNotifications(ctxOf(s, req)),
  );
  r.post(
    '/api/notifications/:id/read',
    { config: { auth: 'user' }, schema: { tags, params: IdParam, response: { 200: Ok } } },
    async (req) => {
      await markNotificationRead(ctxOf(s, req), req.params.id);
      return { ok: true as const };
    },
  );
}
