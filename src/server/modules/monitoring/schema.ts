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

/** Configured objects by kind ('group', 'silence', 'maintenance', 'inhibit') and name; definition is JSON. */
export type MonitoringConfigTable = {
  kind: string;
  name: string;
  definition: string;
  position: number;
  created_at: string;
  updated_at: string;
};
/** An alert of a rule: one row per occurrence (pending → firing → resolved; a pending one that clears is deleted). */
export type MonitoringAlertsTable = {
  id: string;
  fingerprint: string;
  group_name: string;
  rule: string;
  state: string; // 'pending' | 'firing' | 'resolved'
  severity: string | null;
  component: string | null;
  labels: string;
  annotations: string;
  value: number | null;
  active_at: string;
  fired_at: string | null;
  resolved_at: string | null;
  /** While firing: when the expression stopped returning it (keep_firing_for counts from here). */
  keep_since: string | null;
  /** 1 once alert.firing was published (a silenced or inhibited alert is not, until that ends). */
  notified: number;
  /** What suppresses it now: `silence:<name>`, `maintenance:<name>`, `inhibit:<name>`, or null. */
  suppressed_by: string | null;
  last_eval_at: string;
  /** When alert.firing was last published for it (resend.ts). */
  notified_at: string | null;
  /** How many times alert.firing was published again (a probe's `resendEvery`). */
  notify_count: number;
};

export type MonitoringTables = {
  monitoring_config: MonitoringConfigTable;
  monitoring_alerts: MonitoringAlertsTable;
  monitoring_probes: MonitoringProbesTable;
  monitoring_leases: MonitoringLeasesTable;
  monitoring_components: MonitoringComponentsTable;
  monitoring_series: MonitoringSeriesTable;
  monitoring_samples: MonitoringSamplesTable;
  monitoring_rollups: MonitoringRollupsTable;
};

export const own = (e: Executor) => tablesOf<MonitoringTables>(e);
