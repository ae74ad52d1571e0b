import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProbeInput } from '../../../shared/ops-api.ts';
import * as res from '../../../shared/ops-responses.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { listAlerts } from './alert-list.ts';
import { applyOpsConfig, exportOpsConfig, validateOpsConfig } from './ops-config.ts';
import { selectorsOf } from './promql/parse.ts';
import { instantQuery, parseOrBadRequest, rangeQuery, unknownMetrics } from './query.ts';
import { listComponents } from './components.ts';
import { workspaceHealth } from './health.ts';
import { deleteProbe, listProbes, recordPush, saveProbe, toProbeView } from './probes.ts';
import { remoteResultRoutes } from './remote-results.ts';
import { ruleRoutes } from './rules-api.ts';
import { silenceRoutes } from './silences-api.ts';
import { retentionOf, runtime } from './runtime.ts';
import { uptimeOf } from './uptime.ts';

const NameParam = z.strictObject({ name: z.string().min(1).max(100) });
const TokenParam = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

export function monitoringRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['monitoring'];
  ruleRoutes(app, s);
  silenceRoutes(app, s);
  remoteResultRoutes(app, s);
  r.get(
    '/api/ops/components',
    { config: { permission: 'installation.ops' }, schema: { tags, response: { 200: res.ComponentsResponse } } },
    async (req) => ({
      items: await listComponents(ctxOf(s, req)),
    }),
  );
  // A merchant workspace's own view: the components it depends on, their status and 90-day uptime.
  r.get(
    '/api/ops/health/components',
    { config: { permission: 'ops.read' }, schema: { tags, response: { 200: res.HealthResponse } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return { items: await workspaceHealth(s, ctx.actor.workspaceId) };
    },
  );
  r.get(
    '/api/ops/probes',
    { config: { permission: 'installation.ops' }, schema: { tags, response: { 200: res.ProbesResponse } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      const now = ctx.clock.now().getTime();
      const rows = await listProbes(ctx.db);
      const store = runtime(s).store;
      return {
        items: await Promise.all(
          rows.map(async (row) => ({ ...toProbeView(row), uptime: await uptimeOf(store, row.name, now) })),
        ),
      };
    },
  );
  r.put(
    '/api/ops/probes/:name',
    {
      config: { permission: 'installation.ops' },
      schema: { tags, params: NameParam, body: ProbeInput, response: { 200: res.OutcomeResponse } },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      const body = { ...req.body, name: req.params.name };
      return unitOfWork(ctx, async (tx) => {
        const outcome = await saveProbe(tx.db, body, tx.clock.now());
        await publishApplied(
          tx,
          outcome === 'created' ? [body.name] : [],
          outcome === 'updated' ? [body.name] : [],
          [],
        );
        return { outcome };
      });
    },
  );
  r.delete(
    '/api/ops/probes/:name',
    {
      config: { permission: 'installation.ops' },
      schema: { tags, params: NameParam, response: { 200: res.OkResponse } },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      return unitOfWork(ctx, async (tx) => {
        if (!(await deleteProbe(tx.db, req.params.name))) throw notFound('probe');
        await publishApplied(tx, [], [], [req.params.name]);
        return { ok: true };
      });
    },
  );
  r.get(
    '/api/ops/alerts',
    {
      config: { permission: 'installation.ops' },
      schema: {
        tags,
        querystring: z.strictObject({ state: z.enum(['pending', 'firing', 'resolved']).optional() }),
        response: { 200: res.AlertsResponse },
      },
    },
    async (req) => ({ items: await listAlerts(s.db, req.query.state) }),
  );
  r.get(
    '/api/ops/config',
    { config: { permission: 'installation.ops' }, schema: { tags, response: { 200: res.ConfigResponse } } },
    async () => exportOpsConfig(s.db),
  );
  // The config-as-code document (the same as `kefu ops apply`); problems come back with their paths.
  r.put(
    '/api/ops/config',
    {
      config: { permission: 'installation.ops' },
      schema: {
        tags,
        querystring: z.strictObject({
          dryRun: z.enum(['true', 'false']).optional(),
          prune: z.enum(['true', 'false']).optional(),
        }),
        body: z.record(z.string(), z.unknown()),
        response: { 200: res.ApplyResponse },
      },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      const { config, problems } = validateOpsConfig(req.body);
      if (!config) throw new AppError(400, 'invalid_config', problems.join('; '), { problems });
      return applyOpsConfig(ctx, config, {
        dryRun: req.query.dryRun === 'true',
        prune: req.query.prune === 'true',
        knownMetrics: await runtime(s).store.names(),
      });
    },
  );
  r.post(
    '/api/ops/query',
    {
      config: { permission: 'installation.ops' },
      schema: {
        tags,
        body: z.strictObject({ expr: z.string().min(1).max(5000), time: z.iso.datetime().optional() }),
        response: { 200: res.InstantQueryResponse },
      },
    },
    async (req) => {
      const at = req.body.time ? Date.parse(req.body.time) : s.clock.now().getTime();
      const { store, remoteQuery } = runtime(s);
      if (remoteQuery) {
        // The same PromQL subset as the rules, checked here; then the outside store evaluates it.
        const read = new Set(selectorsOf(parseOrBadRequest(req.body.expr)).map((x) => x.name));
        const result = await remoteQuery.instant(req.body.expr, at);
        const names = new Set(await remoteQuery.names());
        return { ...result, unknownMetrics: [...read].filter((n) => !names.has(n)) };
      }
      const result = await instantQuery(store, req.body.expr, at, retentionOf(s));
      return { ...result, unknownMetrics: await unknownMetrics(store, parseOrBadRequest(req.body.expr)) };
    },
  );
  r.get(
    '/api/ops/query_range',
    {
      config: { permission: 'installation.ops' },
      schema: {
        tags,
        querystring: z.strictObject({
          expr: z.string().min(1).max(5000),
          from: z.iso.datetime(),
          to: z.iso.datetime().optional(),
          step: z.coerce.number().int().min(1).max(86400).optional(),
        }),
        response: { 200: res.RangeQueryResponse },
      },
    },
    async (req) => {
      const now = s.clock.now().getTime();
      const to = req.query.to ? Date.parse(req.query.to) : now;
      const from = Date.parse(req.query.from);
      if (to - from > 400 * 86400_000) throw badRequest('a range of at most 400 days');
      const step = req.query.step ? req.query.step * 1000 : undefined;
      const { store, remoteQuery } = runtime(s);
      if (remoteQuery) {
        parseOrBadRequest(req.query.expr); // the same PromQL subset as the rules
        return remoteQuery.range(req.query.expr, from, to, step);
      }
      return rangeQuery(store, req.query.expr, from, to, now, retentionOf(s), step);
    },
  );
  // Push probes: a cron job or an outside system calls this URL (GET, as Uptime Kuma's push URLs);
  // calls that stop coming mean down. Unknown tokens get 404; a flood is rate limited per address.
  r.get(
    '/api/ops/push/:token',
    {
      config: { auth: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags, params: TokenParam, response: { 200: res.OkResponse } },
    },
    async (req) => {
      if (!(await recordPush(s.db, req.params.token, s.clock.now()))) throw notFound('push probe');
      return { ok: true };
    },
  );
}

async function publishApplied(tx: Ctx, created: string[], updated: string[], deleted: string[]): Promise<void> {
  if (!created.length && !updated.length && !deleted.length) return;
  await publish(tx, 'ops_config.applied', tx.actor.workspaceId, 'ops_config', 'installation', {
    created,
    updated,
    deleted,
  });
}
