import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { componentsOfWorkspace, listComponents } from './components.ts';

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
}
