/**
 * The console's reports API: browse, open, download (every format), produce a period on demand,
 * sign off (merchant and vendor), check a report's SHA-256, the live hot questions, and the
 * schedules (time, recipients, channels per type). Every route reads the actor's own workspace,
 * except that the vendor (the installation's ops) names a merchant workspace (`?workspace=`) to
 * browse, open, download, verify and sign its reports.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../../../shared/api.ts';
import {
  DownloadQuery,
  ProduceReportBody,
  ProvisionalQuery,
  ReportListQuery,
  ReportScheduleBody,
  ReportScheduleParams,
  ReportSignOffBody,
  ReportWorkspaceQuery,
} from '../../../shared/reports-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError } from '../../lib/errors.ts';
import { liveHotQuestions } from './live.ts';
import { provisionalReport } from './provisional.ts';
import { contentTypes } from './formats.ts';
import { render } from './lazy-render.ts';
import { saveSchedule, scheduleView } from './schedules.ts';
import { getReport, produceReport, verifyReport } from './service.ts';
import { listReports, reportWorkspace, signOff, signoffsOf } from './signoff.ts';

const read = { permission: 'reports.read' } as const;
const manage = { permission: 'ops.manage' } as const;
const SharedQuery = z.strictObject({ t: z.string().min(10).max(600) });

export function reportRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  r.get('/api/reports', { config: read, schema: { tags, querystring: ReportListQuery } }, async (req) => {
    const ctx = ctxOf(s, req);
    const ws = await reportWorkspace(ctx, req.query.workspace);
    return { items: await listReports(ctx, ws, req.query.type, req.query.limit) };
  });
  // The schedules name staff e-mail addresses and channels: for those who manage them.
  r.get('/api/reports/schedules', { config: manage, schema: { tags } }, async (req) => scheduleView(ctxOf(s, req)));
  r.put(
    '/api/reports/schedules/:type',
    { config: manage, schema: { tags, params: ReportScheduleParams, body: ReportScheduleBody } },
    async (req) => saveSchedule(ctxOf(s, req), req.params.type, req.body),
  );
  r.get('/api/reports/live/hot-questions', { config: read, schema: { tags } }, async (req) =>
    liveHotQuestions(s, ctxOf(s, req).actor.workspaceId),
  );
  // The current period so far: recomputed on each view, not stored, no hash, not signable.
  r.get('/api/reports/provisional', { config: read, schema: { tags, querystring: ProvisionalQuery } }, async (req) => {
    const ctx = ctxOf(s, req);
    return provisionalReport({ ...s, ...ctx }, await reportWorkspace(ctx, req.query.workspace), req.query.type);
  });
  // The signed link of a delivered report (e-mail, robots): opens its HTML without signing in.
  r.get(
    '/api/reports/shared',
    {
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags, querystring: SharedQuery },
    },
    async (req, reply) => {
      const p = s.cipher.verify<{ r: string; w: string; exp: number }>(req.query.t);
      if (!p || p.exp < s.clock.now().getTime())
        throw new AppError(404, 'not_found', 'this link is invalid or has expired');
      const rep = await getReport(s, p.w, p.r);
      const signed = (await signoffsOf(s, [rep.id])).get(rep.id) ?? [];
      return reply.type(contentTypes.html).send(await render(rep.document, 'html', rep.sha256, signed));
    },
  );
  r.get(
    '/api/reports/:id',
    { config: read, schema: { tags, params: IdParam, querystring: ReportWorkspaceQuery } },
    async (req) => {
      const ctx = ctxOf(s, req);
      const rep = await getReport(ctx, await reportWorkspace(ctx, req.query.workspace), req.params.id);
      return {
        id: rep.id,
        type: rep.type,
        periodKey: rep.period_key,
        producedAt: rep.produced_at,
        sha256: rep.sha256,
        document: rep.document,
        signoffs: (await signoffsOf(ctx, [rep.id])).get(rep.id) ?? [],
      };
    },
  );
  r.get(
    '/api/reports/:id/download',
    { config: read, schema: { tags, params: IdParam, querystring: DownloadQuery } },
    async (req, reply) => {
      const ctx = ctxOf(s, req);
      const rep = await getReport(ctx, await reportWorkspace(ctx, req.query.workspace), req.params.id);
      const f = req.query.format;
      const signed = (await signoffsOf(ctx, [rep.id])).get(rep.id) ?? [];
      const bytes = await render(rep.document, f, rep.sha256, signed);
      const name = `kefu-${rep.type}-${rep.period_key}.${f}`;
      return reply
        .type(contentTypes[f])
        .header('content-disposition', `${f === 'html' ? 'inline' : 'attachment'}; filename="${name}"`)
        .send(bytes);
    },
  );
  r.get(
    '/api/reports/:id/verify',
    { config: read, schema: { tags, params: IdParam, querystring: ReportWorkspaceQuery } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return verifyReport(ctx, await reportWorkspace(ctx, req.query.workspace), req.params.id);
    },
  );
  r.post(
    '/api/reports',
    { config: { permission: 'ops.manage' }, schema: { tags, body: ProduceReportBody } },
    async (req, reply) => {
      const ctx = ctxOf(s, req);
      const rep = await produceReport(ctx, ctx.actor.workspaceId, req.body.type, req.body.period, 'manual');
      return reply.status(201).send({ id: rep.id, sha256: rep.sha256 });
    },
  );
  r.post(
    '/api/reports/:id/sign-off',
    {
      config: { permission: 'ops.manage' },
      schema: { tags, params: IdParam, querystring: ReportWorkspaceQuery, body: ReportSignOffBody },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      // The vendor (installation ops) signs any workspace's report; the merchant its own.
      const ws = await reportWorkspace(ctx, req.query.workspace);
      return { signoffs: await signOff(ctx, ws, req.params.id, req.body.party) };
    },
  );
}
