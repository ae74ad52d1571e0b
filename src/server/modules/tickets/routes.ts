import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, Ok } from '../../../shared/api.ts';
import * as api from '../../../shared/tickets-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { bulk, merge, reply } from './actions.ts';
import { applyMacro, listMacros, saveMacro } from './macros.ts';
import { archiveField, archiveType, createField, fieldDefs, saveType, ticketTypes } from './fields.ts';
import { createView, deleteView, listViews } from './views.ts';
import { slaAchievement } from './report.ts';
import { listTickets, timeline } from './list.ts';
import { toTickets, viewTicket, whoOf } from './model.ts';
import { own } from './schema.ts';
import { customerExists } from '../customers/index.ts';
import { notFound } from '../../lib/errors.ts';
import { createTicket, updateTicket } from './service.ts';

const KeyParam = z.strictObject({ key: z.string().min(1).max(40) });
const MacroParams = z.strictObject({ id: z.string().min(1).max(64), macroId: z.string().min(1).max(64) });
/** A period: instants (ISO) or days (YYYY-MM-DD in the workspace's time zone); `to` is exclusive. */
const Period = z.strictObject({
  from: z.union([z.iso.date(), z.iso.datetime()]),
  to: z.union([z.iso.date(), z.iso.datetime()]),
});

export function ticketRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tickets'];
  const read = { permission: 'tickets.read' as const };
  const manage = { permission: 'tickets.manage' as const };
  const settings = { permission: 'settings.manage' as const };
  const ok = { ok: true as const };

  // The customer page: their newest tickets (tickets_customer_idx).
  r.get('/api/customers/:id/tickets', { config: read, schema: { tags, params: IdParam } }, async (req) => {
    const ctx = ctxOf(s, req);
    if (!(await customerExists(ctx, ctx.actor.workspaceId, req.params.id))) throw notFound('customer');
    const rows = await own(ctx.db)
      .selectFrom('tickets')
      .selectAll()
      .where('customer_id', '=', req.params.id)
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute();
    return { items: await toTickets(ctx, rows, ctx.actor.permissions.includes('customers.pii')) };
  });
  r.get('/api/tickets', { config: read, schema: { tags, querystring: api.TicketQuery } }, async (req) =>
    listTickets(ctxOf(s, req), req.query),
  );
  r.post(
    '/api/tickets',
    { config: manage, schema: { tags, body: api.CreateTicketBody, response: { 200: api.Ticket } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return createTicket(ctx, whoOf(ctx), req.body);
    },
  );
  r.get(
    '/api/tickets/:id',
    { config: read, schema: { tags, params: IdParam, response: { 200: api.Ticket } } },
    async (req) => viewTicket(ctxOf(s, req), req.params.id),
  );
  r.patch(
    '/api/tickets/:id',
    { config: manage, schema: { tags, params: IdParam, body: api.UpdateTicketBody, response: { 200: api.Ticket } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return updateTicket(ctx, whoOf(ctx), req.params.id, req.body);
    },
  );
  r.get(
    '/api/tickets/:id/timeline',
    {
      config: read,
      schema: { tags, params: IdParam, response: { 200: z.object({ items: z.array(api.TimelineEntry) }) } },
    },
    async (req) => ({
      items: await timeline(ctxOf(s, req), req.params.id),
    }),
  );
  r.post(
    '/api/tickets/:id/replies',
    { config: manage, schema: { tags, params: IdParam, body: api.TicketReplyBody, response: { 200: api.Ticket } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return reply(ctx, whoOf(ctx), req.params.id, req.body);
    },
  );
  r.post(
    '/api/tickets/:id/merge',
    { config: manage, schema: { tags, params: IdParam, body: api.MergeBody, response: { 200: api.Ticket } } },
    async (req) => merge(ctxOf(s, req), req.params.id, req.body.intoId),
  );
  r.post('/api/tickets/bulk', { config: manage, schema: { tags, body: api.BulkBody } }, async (req) =>
    bulk(ctxOf(s, req), req.body),
  );
  r.post(
    '/api/tickets/:id/macros/:macroId',
    { config: manage, schema: { tags, params: MacroParams, body: api.ApplyMacroBody, response: { 200: api.Ticket } } },
    async (req) => applyMacro(ctxOf(s, req), req.params.id, req.params.macroId, req.body.version),
  );

  r.get('/api/ticket-types', { config: read, schema: { tags } }, async (req) => {
    const ctx = ctxOf(s, req);
    return { items: await ticketTypes(ctx.db, ctx.actor.workspaceId, ctx.clock.now()) };
  });
  r.post('/api/ticket-types', { config: settings, schema: { tags, body: api.TypeBody } }, async (req) => ({
    items: await saveType(ctxOf(s, req), req.body),
  }));
  r.delete(
    '/api/ticket-types/:key',
    { config: settings, schema: { tags, params: KeyParam, response: { 200: Ok } } },
    async (req) => {
      await archiveType(ctxOf(s, req), req.params.key);
      return ok;
    },
  );
  r.get('/api/ticket-fields', { config: read, schema: { tags } }, async (req) => ({
    items: await fieldDefs(s.db, ctxOf(s, req).actor.workspaceId),
  }));
  r.post('/api/ticket-fields', { config: settings, schema: { tags, body: api.FieldBody } }, async (req) =>
    createField(ctxOf(s, req), req.body),
  );
  r.delete(
    '/api/ticket-fields/:id',
    { config: settings, schema: { tags, params: IdParam, response: { 200: Ok } } },
    async (req) => {
      await archiveField(ctxOf(s, req), req.params.id);
      return ok;
    },
  );
  r.get('/api/ticket-views', { config: read, schema: { tags } }, async (req) => ({
    items: await listViews(ctxOf(s, req)),
  }));
  r.post('/api/ticket-views', { config: read, schema: { tags, body: api.ViewBody } }, async (req) =>
    createView(ctxOf(s, req), req.body),
  );
  r.delete(
    '/api/ticket-views/:id',
    { config: read, schema: { tags, params: IdParam, response: { 200: Ok } } },
    async (req) => {
      await deleteView(ctxOf(s, req), req.params.id);
      return ok;
    },
  );
  r.get('/api/macros', { config: read, schema: { tags } }, async (req) => ({ items: await listMacros(ctxOf(s, req)) }));
  r.post('/api/macros', { config: settings, schema: { tags, body: api.MacroBody } }, async (req) =>
    saveMacro(ctxOf(s, req), null, req.body),
  );
  r.put('/api/macros/:id', { config: settings, schema: { tags, params: IdParam, body: api.MacroBody } }, async (req) =>
    saveMacro(ctxOf(s, req), req.params.id, req.body),
  );

  r.get(
    '/api/reports/sla',
    { config: { permission: 'reports.read' }, schema: { tags: ['reports'], querystring: Period } },
    async (req) => slaAchievement(s.db, ctxOf(s, req).actor.workspaceId, req.query.from, req.query.to),
  );
}
