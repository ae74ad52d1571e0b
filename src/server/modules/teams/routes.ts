import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import * as api from '../../../shared/tickets-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { listGroups, saveGroup } from './service.ts';

export function teamRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['groups'];
  r.get('/api/groups', { config: { permission: 'tickets.read' }, schema: { tags } }, async (req) => ({
    items: await listGroups(ctxOf(s, req)),
  }));
  r.post(
    '/api/groups',
    { config: { permission: 'settings.manage' }, schema: { tags, body: api.GroupBody } },
    async (req) => saveGroup(ctxOf(s, req), null, req.body),
  );
  r.put(
    '/api/groups/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, body: api.GroupBody } },
    async (req) => saveGroup(ctxOf(s, req), req.params.id, req.body),
  );
}
