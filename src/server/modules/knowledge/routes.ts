import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import * as api from '../../../shared/knowledge-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { bulkEdit, deleteEntry, getEntry, listEntries, listTerms, saveEntry, saveTerms } from './service.ts';
import { exportKnowledge, importKnowledge } from './transfer.ts';

const mime = {
  jsonl: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function knowledgeRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  const read = { permission: 'knowledge.read' } as const;
  const manage = { permission: 'knowledge.manage' } as const;
  r.get('/api/knowledge/entries', { config: read, schema: { tags, querystring: api.EntryList } }, async (req) =>
    listEntries(ctxOf(s, req), req.query),
  );
  r.get('/api/knowledge/entries/:id', { config: read, schema: { tags, params: IdParam } }, async (req) =>
    getEntry(ctxOf(s, req), req.params.id),
  );
  r.post('/api/knowledge/entries', { config: manage, schema: { tags, body: api.EntryBody } }, async (req) =>
    saveEntry(ctxOf(s, req), null, req.body),
  );
  r.put(
    '/api/knowledge/entries/:id',
    { config: manage, schema: { tags, params: IdParam, body: api.EntryBody } },
    async (req) => saveEntry(ctxOf(s, req), req.params.id, req.body),
  );
  r.delete('/api/knowledge/entries/:id', { config: manage, schema: { tags, params: IdParam } }, async (req, reply) => {
    await deleteEntry(ctxOf(s, req), req.params.id);
    return reply.code(204).send();
  });
  r.post('/api/knowledge/bulk', { config: manage, schema: { tags, body: api.BulkBody } }, async (req) =>
    bulkEdit(ctxOf(s, req), req.body),
  );
  r.get(
    '/api/knowledge/export',
    { config: read, schema: { tags, querystring: api.ExportQuery } },
    async (req, reply) => {
      const body = await exportKnowledge(ctxOf(s, req), req.query.format);
      return reply
        .header('content-type', mime[req.query.format])
        .header('content-disposition', `attachment; filename="knowledge.${req.query.format}"`)
        .send(body);
    },
  );
  r.post(
    '/api/knowledge/import',
    { config: manage, bodyLimit: 12 * 1024 * 1024, schema: { tags, body: api.ImportBody } },
    async (req) => importKnowledge(ctxOf(s, req), req.body.format, req.body.content),
  );
  r.get('/api/knowledge/terms', { config: read, schema: { tags } }, async (req) => ({
    terms: await listTerms(ctxOf(s, req)),
  }));
  r.put('/api/knowledge/terms', { config: manage, schema: { tags, body: api.TermsBody } }, async (req) => ({
    terms: await saveTerms(ctxOf(s, req), req.body.terms),
  }));
}
