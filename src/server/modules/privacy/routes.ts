import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import {
  EraseCustomerBody,
  EraseResult,
  PrivacyRequestList,
  RetentionRules,
  SaveRetentionBody,
} from '../../../shared/privacy-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { getRetention, saveRetention } from './retention.ts';
import { eraseCustomer, exportCustomer, privacyRequests } from './service.ts';

export function privacyRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // A POST (CSRF-protected), not a link: an export is an audited act, never a side effect of a page load.
  r.post(
    '/api/customers/:id/export',
    {
      config: { permission: 'privacy.manage', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags: ['privacy'], params: IdParam },
    },
    async (req, reply) => {
      const { filename, body } = await exportCustomer(ctxOf(s, req), req.params.id);
      return reply
        .header('content-type', 'application/zip')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );
  r.post(
    '/api/customers/:id/erase',
    {
      config: { permission: 'privacy.manage' },
      schema: { tags: ['privacy'], params: IdParam, body: EraseCustomerBody, response: { 200: EraseResult } },
    },
    async (req) => ({ counts: await eraseCustomer(ctxOf(s, req), req.params.id, req.body.confirm) }),
  );
  r.get(
    '/api/customers/:id/privacy-requests',
    {
      config: { permission: 'privacy.manage' },
      schema: { tags: ['privacy'], params: IdParam, response: { 200: PrivacyRequestList } },
    },
    async (req) => ({ items: await privacyRequests(ctxOf(s, req), req.params.id) }),
  );
  r.get(
    '/api/privacy/retention',
    {
      config: { permission: 'privacy.manage' },
      schema: { tags: ['privacy'], response: { 200: RetentionRules } },
    },
    async (req) => getRetention(ctxOf(s, req)),
  );
  r.put(
    '/api/privacy/retention',
    {
      config: { permission: 'privacy.manage' },
      schema: { tags: ['privacy'], body: SaveRetentionBody, response: { 200: RetentionRules } },
    },
    async (req) => saveRetention(ctxOf(s, req), req.body.rules),
  );
}
