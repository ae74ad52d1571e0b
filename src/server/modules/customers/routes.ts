import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import {
  CreateCustomerBody,
  Customer,
  CustomerPage,
  CustomerQuery,
  CustomerTags,
  CustomerTiers,
  UpdateCustomerBody,
} from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { createCustomer } from './create.ts';
import { customersCsv, listCustomers } from './list.ts';
import { getCustomer, updateCustomer } from './service.ts';
import { workspaceTags, workspaceTiers } from './tags.ts';

export function customerRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/customers',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['customers'], querystring: CustomerQuery, response: { 200: CustomerPage } },
    },
    async (req) => listCustomers(ctxOf(s, req), req.query),
  );
  // A customer entered by hand (the "new ticket" form): the same permission as editing one.
  r.post(
    '/api/customers',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags: ['customers'], body: CreateCustomerBody, response: { 200: Customer } },
    },
    async (req) => createCustomer(ctxOf(s, req), req.body),
  );
  // The same rows as the list, masked the same way for the caller's role; a download, rate limited.
  r.get(
    '/api/customers/export.csv',
    {
      config: { permission: 'customers.read', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['customers'], querystring: CustomerQuery.omit({ cursor: true, limit: true }) },
    },
    async (req, reply) => {
      const csv = await customersCsv(ctxOf(s, req), req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="customers.csv"')
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
  // Every tag in use, for the list's filter and the profile's tag picker.
  r.get(
    '/api/customer-tags',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['customers'], response: { 200: CustomerTags } },
    },
    async (req) => ({ items: await workspaceTags(s.db, ctxOf(s, req).actor.workspaceId) }),
  );
  // Every tier in use, for the list's filter (tiers are data: what the shop or an agent set).
  r.get(
    '/api/customer-tiers',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['customers'], response: { 200: CustomerTiers } },
    },
    async (req) => ({ items: await workspaceTiers(s.db, ctxOf(s, req).actor.workspaceId) }),
  );
  r.get(
    '/api/customers/:id',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['customers'], params: IdParam, response: { 200: Customer } },
    },
    async (req) => getCustomer(ctxOf(s, req), req.params.id),
  );
  r.patch(
    '/api/customers/:id',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags: ['customers'], params: IdParam, body: UpdateCustomerBody, response: { 200: Customer } },
    },
    async (req) => updateCustomer(ctxOf(s, req), req.params.id, req.body),
  );
}
