import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { notFound } from '../../lib/errors.ts';
import { componentsOfWorkspace, listComponents } from './components.ts';
import { deleteProbe, listProbes, recordPush, saveProbe, toProbeView } from './probes.ts';
import { runtime } from './runtime.ts';
import { uptimeOf } from './uptime.ts';

const NameParam = z.strictObject({ name: z.string().min(1).max(100) });
const TokenParam = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

export function monitoringRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['monitoring'];
  r.get('/api/ops/components', { config: { permission: 'installation.ops' }, schema: { tags } }, async (req) => ({
    items: await listComponents(ctxOf(s, req)),
  }));
  // A merchant workspace's own view: the components it depends on (names and titles only).
  r.get('/api/ops/health/components', { config: { permission: 'ops.read' }, schema: { tags } }, async (req) => {
    const ctx = ctxOf(s, req);
    const items = await componentsOfWorkspace(ctx, ctx.actor.workspaceId);
    return { items: items.map(({ name, title, titleEn, description }) => ({ name, title, titleEn, description })) };
  });

  r.get('/api/ops/probes', { config: { permission: 'installation.ops' }, schema: { tags } }, async (req) => {
    const ctx = ctxOf(s, req);
    const now = ctx.clock.now().getTime();
    const rows = await listProbes(ctx.db);
    const store = runtime(s).store;
    return {
      items: await Promise.all(
        rows.map(async (row) => ({ ...toProbeView(row), uptime: await uptimeOf(store, row.name, now) })),
      ),
    };
  });
  r.put(
    '/api/ops/probes/:name',
    { config: { permission: 'installation.ops' }, schema: { tags, params: NameParam, body: ProbeInput } },
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
    { config: { permission: 'installation.ops' }, schema: { tags, params: NameParam } },
    async (req) => {
      const ctx = ctxOf(s, req);
      return unitOfWork(ctx, async (tx) => {
        if (!(await deleteProbe(tx.db, req.params.name))) throw notFound('probe');
        await publishApplied(tx, [], [], [req.params.name]);
        return { ok: true };
      });
    },
  );
  // Push probes: a cron job or an outside system calls this URL (GET, as Uptime Kuma's push URLs);
  // calls that stop coming mean down. Unknown tokens get 404; a flood is rate limited per address.
  r.get(
    '/api/ops/push/:token',
    {
      config: { auth: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags, params: TokenParam },
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
