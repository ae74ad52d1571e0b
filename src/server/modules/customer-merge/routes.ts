import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import { MergeCustomerBody, MergeResult } from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { mergeCustomers } from './service.ts';

export function customerMergeRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // customers.pii: telling two shoppers apart needs their unmasked contact details.
  r.post(
    '/api/customers/:id/merge',
    {
      config: { permission: 'customers.pii' },
      schema: { tags: ['customers'], params: IdParam, body: MergeCustomerBody, response: { 200: MergeResult } },
    },
    async (req) => mergeCustomers(ctxOf(s, req), req.params.id, req.body.from),
  );
}
