import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../shared/api.ts';
import * as api from '../../../shared/incidents-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { ackRoutes } from './ack.ts';
import { declareOptions, reportedProblems, reportProblem } from './console.ts';
import { ReviewBody, overview, reviewOf, saveReview } from './review.ts';
import { onCallRoutes } from './oncall/routes.ts';
import { onCallForPolicy } from './oncall/who.ts';
import { ChannelBody, listChannels, saveChannel, testChannel } from './channels.ts';
import { contractOf, effectiveTerms, saveContract } from './contracts.ts';
import { incidentDetail, listIncidents } from './queries.ts';
import { addNote, declareIncident, transitionIncident, updateIncident } from './service.ts';
import { monthlyStatement, signOff, statementCsv, statementWorkspace } from './statement.ts';
import { statementHtml } from './statement-html.ts';
import { statementPdf } from './statement-pdf.ts';
import * as res from './responses.ts';
import { statusPageRoute } from './status.ts';

export function incidentRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['incidents'];
  const read = { permission: 'ops.read' } as const;
  const manage = { permission: 'ops.manage' } as const;
  statusPageRoute(app, s);

  r.get(
    '/api/ops/incidents',
    { config: read, schema: { tags, querystring: api.IncidentListQuery, response: { 200: res.IncidentList } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return { items: await listIncidents(ctx, ctx.actor.workspaceId, req.query) };
    },
  );
  r.post(
    '/api/ops/incidents',
    { config: manage, schema: { tags, body: api.DeclareIncidentBody, response: { 201: res.IncidentDetail } } },
    async (req, reply) => {
      const ctx = ctxOf(s, req);
      const row = await declareIncident(ctx, ctx.actor.workspaceId, {
        ...req.body,
        source: ctx.actor.type === 'token' ? 'api' : 'console',
      });
      reply.code(201);
      return incidentDetail(ctx, ctx.actor.workspaceId, row.id);
    },
  );
  // The merchant's customer-service staff report a problem to the vendor's support line (answered within 30 min).
  r.post(
    '/api/ops/incidents/report',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags, body: api.ReportProblemBody, response: { 201: res.ReportCreated } },
    },
    async (req, reply) => {
      const row = await reportProblem(ctxOf(s, req), req.body);
      reply.code(201);
      return { id: row.id, number: row.number, declaredAt: row.declared_at };
    },
  );
  // The problems the workspace's staff reported, with the support line's clock and the public updates.
  r.get(
    '/api/ops/incidents/report',
    { config: { permission: 'conversations.manage' }, schema: { tags, response: { 200: res.ReportedProblems } } },
    async (req) => reportedProblems(s, ctxOf(s, req).actor.workspaceId),
  );
  // The declaration form: components, the workspaces the actor may name, each contract's targets.
  r.get(
    '/api/ops/incidents/declare-options',
    { config: manage, schema: { tags, response: { 200: res.DeclareOptions } } },
    async (req) => declareOptions(ctxOf(s, req)),
  );
  r.get(
    '/api/ops/incidents/:id',
    { config: read, schema: { tags, params: IdParam, response: { 200: res.IncidentDetail } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return incidentDetail(ctx, ctx.actor.workspaceId, req.params.id);
    },
  );
  r.patch(
    '/api/ops/incidents/:id',
    {
      config: manage,
      schema: { tags, params: IdParam, body: api.UpdateIncidentBody, response: { 200: res.IncidentDetail } },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      await updateIncident(ctx, ctx.actor.workspaceId, req.params.id, req.body);
      return incidentDetail(ctx, ctx.actor.workspaceId, req.params.id);
    },
  );
  r.post(
    '/api/ops/incidents/:id/transitions',
    {
      config: manage,
      schema: { tags, params: IdParam, body: api.TransitionBody, response: { 200: res.IncidentDetail } },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      await transitionIncident(ctx, ctx.actor.workspaceId, req.params.id, req.body.to, {
        version: req.body.version,
        note: req.body.note,
        via: ctx.actor.type === 'token' ? 'api' : 'console',
      });
      return incidentDetail(ctx, ctx.actor.workspaceId, req.params.id);
    },
  );
  r.post(
    '/api/ops/incidents/:id/notes',
    { config: manage, schema: { tags, params: IdParam, body: api.NoteBody, response: { 200: res.IncidentDetail } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      await addNote(ctx, ctx.actor.workspaceId, req.params.id, req.body);
      return incidentDetail(ctx, ctx.actor.workspaceId, req.params.id);
    },
  );

  const settings = { permission: 'settings.manage' } as const;
  r.get(
    '/api/ops/notifiers',
    { config: settings, schema: { tags, response: { 200: res.ChannelList } } },
    async (req) => ({
      items: await listChannels(ctxOf(s, req)),
    }),
  );
  r.post(
    '/api/ops/notifiers',
    { config: settings, schema: { tags, body: ChannelBody, response: { 200: res.ChannelView } } },
    async (req) => saveChannel(ctxOf(s, req), null, req.body),
  );
  r.put(
    '/api/ops/notifiers/:id',
    { config: settings, schema: { tags, params: IdParam, body: ChannelBody, response: { 200: res.ChannelView } } },
    async (req) => saveChannel(ctxOf(s, req), req.params.id, req.body),
  );
  r.post(
    '/api/ops/notifiers/:id/test',
    { config: settings, schema: { tags, params: IdParam, response: { 200: res.ChannelTest } } },
    async (req) => testChannel(ctxOf(s, req), req.params.id),
  );
  ackRoutes(app, s);
  onCallRoutes(app, s);

  r.get(
    '/api/ops/incidents/:id/review',
    { config: read, schema: { tags, params: IdParam, response: { 200: res.ReviewView } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return reviewOf(ctx, ctx.actor.workspaceId, req.params.id);
    },
  );
  r.put(
    '/api/ops/incidents/:id/review',
    { config: manage, schema: { tags, params: IdParam, body: ReviewBody, response: { 200: res.ReviewView } } },
    async (req) => saveReview(ctxOf(s, req), req.params.id, req.body),
  );
  r.get(
    '/api/ops/overview',
    { config: read, schema: { tags, querystring: api.OverviewQuery, response: { 200: res.Overview } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      const ws = ctx.actor.workspaceId;
      return { ...(await overview(ctx, ws, req.query.workspaceId)), onCall: await onCallForPolicy(ctx, ws) };
    },
  );

  r.get('/api/ops/contract', { config: read, schema: { tags, response: { 200: res.ContractView } } }, async (req) => {
    const ctx = ctxOf(s, req);
    const c = await contractOf(ctx, ctx.actor.workspaceId);
    return { configured: c.configured, ...c.settings, effective: effectiveTerms(c.contract) };
  });
  r.put(
    '/api/ops/contract',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, body: api.ContractBody, response: { 200: res.ContractView } },
    },
    async (req) => {
      const c = await saveContract(ctxOf(s, req), req.body);
      return { configured: c.configured, ...c.settings, effective: effectiveTerms(c.contract) };
    },
  );

  r.get(
    '/api/ops/penalties/:month',
    {
      config: read,
      schema: { tags, params: api.MonthParam, querystring: api.StatementQuery, response: { 200: res.StatementOrFile } },
    },
    async (req, reply) => {
      const ctx = ctxOf(s, req);
      const ws = await statementWorkspace(ctx, req.query.workspace);
      const st = await monthlyStatement(ctx, ws, req.params.month);
      if (req.query.format === 'json') return st;
      const name = `penalty-statement-${ws === ctx.actor.workspaceId ? '' : `${ws}-`}${req.params.month}`;
      if (req.query.format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send('\uFEFF' + statementCsv(st));
      if (req.query.format === 'pdf')
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .send(
            // The PDF's bytes go out as they are (no serializer runs on a Buffer); the schema says "string".
            (await statementPdf(st, req.headers['accept-language'] ?? '', ctx.clock.now())) as unknown as string,
          );
      return reply.type('text/html; charset=utf-8').send(statementHtml(st, req.headers['accept-language'] ?? ''));
    },
  );
  r.post(
    '/api/ops/penalties/:month/sign-off',
    {
      config: manage,
      schema: {
        tags,
        params: api.MonthParam,
        querystring: api.StatementWorkspaceQuery,
        body: api.SignOffBody,
        response: { 200: res.Statement },
      },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      // The vendor (installation ops) signs any workspace's statement; the merchant its own.
      return signOff(ctx, await statementWorkspace(ctx, req.query.workspace), req.params.month, req.body.party);
    },
  );
}
