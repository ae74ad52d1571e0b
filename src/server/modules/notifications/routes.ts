import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  IdParam,
  NotificationList,
  Ok,
  PushKey,
  PushSubscriptionBody,
  PushUnsubscribeBody,
} from '../../../shared/api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { badRequest } from '../../lib/errors.ts';
import { parseAllowList } from '../../lib/outbound.ts';
import { subscribe, subscriptionCount, unsubscribe, vapidKeys } from './push.ts';
import { listNotifications, markNotificationRead } from './service.ts';

/** Push services are HTTPS; plain HTTP only to a host the installation allows (a local push service in tests). */
function assertPushEndpoint(s: Services, endpoint: string): void {
  const url = new URL(endpoint);
  if (url.protocol === 'https:') return;
  const allow = parseAllowList(s.config.outboundAllowList);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  const allowed = allow.hosts.has(host) || (family > 0 && allow.nets.check(host, family === 4 ? 'ipv4' : 'ipv6'));
  if (!allowed) throw badRequest('a push endpoint must be an https:// URL');
}

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
  r.get('/api/push/key', { config: { auth: 'user' }, schema: { tags, response: { 200: PushKey } } }, async (req) => ({
    publicKey: (await vapidKeys(s)).publicKey,
    subscriptions: await subscriptionCount(ctxOf(s, req)),
  }));
  // A console session only: a browser subscribes itself, an API token has no browser.
  r.post(
    '/api/push/subscriptions',
    {
      config: { auth: 'user', session: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags, body: PushSubscriptionBody, response: { 200: Ok } },
    },
    async (req) => {
      assertPushEndpoint(s, req.body.endpoint);
      await subscribe(ctxOf(s, req), req.body);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/push/subscriptions/remove',
    { config: { auth: 'user', session: true }, schema: { tags, body: PushUnsubscribeBody, response: { 200: Ok } } },
    async (req) => {
      await unsubscribe(ctxOf(s, req), req.body.endpoint);
      return { ok: true as const };
    },
  );
}
