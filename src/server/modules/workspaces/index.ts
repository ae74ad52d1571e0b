/** Workspaces module: the tenant boundary (one workspace per merchant). */
import type { KefuModule } from '../../module.ts';
import { workspaceEvents } from './events.ts';
import { workspaceRoutes } from './routes.ts';

/** Read a workspace (404 when unknown) or its default language, list them, find one by slug, count them (seed). */
export {
  getWorkspace,
  listWorkspaces,
  workspaceBySlug,
  countWorkspaces,
  workspaceLanguage,
  workspaceTimeZone,
} from './service.ts';
/** Insert a workspace row, inside the caller's unit of work (its owner is created by the users module). */
export { insertWorkspace, type NewWorkspaceRow } from './service.ts';

export const workspacesModule: KefuModule = {
  name: 'workspaces',
  tables: ['workspaces'],
  events: workspaceEvents,
  permissions: ['workspace.read', 'workspace.manage', 'installation.manage'],
  routes: workspaceRoutes,
};
