import type { Generated } from 'kysely';
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

/** One series: a metric name and its labels (canonical JSON, sorted keys; `node` among them). */
export type MonitoringSeriesTable = {
  id: Generated<number>;
  name: string;
  labels: string;
  kind: string; // 'gauge' | 'counter'
  created_at: string;
};
/** Raw samples: t in epoch ms. */
export type MonitoringSamplesTable = { series_id: number; t: number; v: number };
/** Rollups per `res` seconds (60, 3600), bucket start t in epoch ms. */
export type MonitoringRollupsTable = {
  series_id: number;
  res: number;
  t: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  last: number;
};

/** A probe: its definition (ProbeInput JSON) and its current state. */
export type MonitoringProbesTable = {
  id: string;
  name: string;
  type: string;
  definition: string;
  component: string | null;
  enabled: number;
  push_token: string | null;
  status: string; // 'unknown' | 'up' | 'pending' | 'down'
  failures: number;
  last_check_at: string | null;
  last_ok_at: string | null;
  last_push_at: string | null;
  last_duration_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  cert_expires_at: string | null;
  status_changed_at: string | null;
  created_at: string;
  updated_at: string;
};
/** Who runs the installation-wide loops (probes, rules) until when (epoch ms). */
export type MonitoringLeasesTable = { name: string; holder: string; until: number };

export type MonitoringTables = {
  monitoring_probes: MonitoringProbesTable;
  monitoring_leases: MonitoringLeasesTable;
  monitoring_components: MonitoringComponentsTable;
  monitoring_series: MonitoringSeriesTable;
  monitoring_samples: MonitoringSamplesTable;
  monitoring_rollups: MonitoringRollupsTable;
};

export const own = (e: Executor) => tablesOf<MonitoringTables>(e);
