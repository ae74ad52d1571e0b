import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import { CalendarBody, ReorderBody, SlaPolicyBody } from '../../../shared/tickets-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { listCalendars, listPolicies, reorderPolicies, saveCalendar, savePolicy } from './policies.ts';

export function slaRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sla'];
  r.get('/api/calendars', { config: { permission: 'tickets.read' }, schema: { tags } }, async (req) => ({
    items: await listCalendars(ctxOf(s, req)),
  }));
  r.post(
    '/api/calendars',
    { config: { permission: 'settings.manage' }, schema: { tags, body: CalendarBody } },
    async (req) => saveCalendar(ctxOf(s, req), null, req.body),
  );
  r.put(
    '/api/calendars/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, body: CalendarBody } },
    async (req) => saveCalendar(ctxOf(s, req), req.params.id, req.body),
  );
  r.get('/api/sla-policies', { config: { permission: 'tickets.read' }, schema: { tags } }, async (req) => ({
    items: await listPolicies(ctxOf(s, req)),
  }));
  r.post(
    '/api/sla-policies',
    { config: { permission: 'settings.manage' }, schema: { tags, body: SlaPolicyBody } },
    async (req) => savePolicy(ctxOf(s, req), null, req.body),
  );
  r.put(
    '/api/sla-policies/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, body: SlaPolicyBody } },
    async (req) => savePolicy(ctxOf(s, req), req.params.id, req.body),
  );
  r.post(
    '/api/sla-policies/order',
    { config: { permission: 'settings.manage' }, schema: { tags, body: ReorderBody } },
    async (req) => ({ items: await reorderPolicies(ctxOf(s, req), req.body.ids) }),
  );
}
