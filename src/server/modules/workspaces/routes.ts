import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as api from '../../../shared/api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { getWorkspace, listWorkspaces, updateWorkspace } from './service.ts';

/** The workspace's own settings, and the installation's list (creating one is the users module's: it makes the owner). */
export function workspaceRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/workspace',
    { config: { permission: 'workspace.read' }, schema: { tags: ['workspaces'], response: { 200: api.Workspace } } },
    async (req) => getWorkspace(s, ctxOf(s, req).actor.workspaceId),
  );
  r.patch(
    '/api/workspace',
    {
      config: { permission: 'workspace.manage' },
      schema: { tags: ['workspaces'], body: api.UpdateWorkspaceBody, response: { 200: api.Workspace } },
    },
    async (req) => updateWorkspace(ctxOf(s, req), req.body),
  );
  r.get(
    '/api/workspaces',
    {
      config: { permission: 'installation.manage' },
      schema: { tags: ['workspaces'], response: { 200: api.WorkspaceList } },
    },
    async () => ({ items: await listWorkspaces(s) }),
  );
}
