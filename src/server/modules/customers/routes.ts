import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import { Customer, UpdateCustomerBody } from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { getCustomer, updateCustomer } from './service.ts';

export function customerRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
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
