import { tablesOf, type Executor } from '../../db/index.ts';

/** Components beyond the built-in ones (components.ts), or a built-in one's scope narrowed. */
export type MonitoringComponentsTable = {
  name: string;
  title: string;
  title_en: string;
  description: string;
  /** JSON array of workspace ids that depend on it; null = every workspace. */
  workspaces: string | null;
  position: number;
  created_at: string;
  updated_at: string;
};

export type MonitoringTables = {
  monitoring_components: MonitoringComponentsTable;
};

export const own = (e: Executor) => tablesOf<MonitoringTables>(e);
