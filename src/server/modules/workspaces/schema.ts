import { tablesOf, type Executor } from '../../db/index.ts';

export type WorkspacesTable = {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  default_language: string;
  created_at: string;
  updated_at: string;
};
export type WorkspacesTables = { workspaces: WorkspacesTable };

export const own = (e: Executor) => tablesOf<WorkspacesTables>(e);
