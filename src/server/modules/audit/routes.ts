import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as api from '../../../shared/api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { listAudit } from './service.ts';

export function auditRoutes(app: FastifyInstance, s: Services): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first',
        querystring: api.AuditQuery,
        response: { 200: api.AuditPage },
      },
    },
    async (req) => listAudit(ctxOf(s, req), req.query),
  );
}
