/** Workspaces module: the tenant boundary. */
export { getWorkspace, listWorkspaces, insertWorkspace, countWorkspaces, type NewWorkspace } from './service.ts';
export { workspaceRoutes } from './routes.ts';
