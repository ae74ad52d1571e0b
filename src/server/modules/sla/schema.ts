import { tablesOf, type Executor } from '../../db/index.ts';

export type CalendarsTable = {
  id: string;
  workspace_id: string;
  name: string;
  definition: string;
  created_at: string;
  updated_at: string;
};
export type SlaPoliciesTable = {
  id: string;
  workspace_id: string;
  name: string;
  position: number;
  enabled: number;
  conditions: string; // JSON
  policy: string; // JSON: targets, businessHours, pauseStatuses, warnAtShare
  calendar_id: string;
  escalation: string; // JSON
  created_at: string;
  updated_at: string;
};
/** One row per warning or breach of a target cycle of a subject's clock (unique: raised once). */
export type SlaAlertsTable = {
  id: string;
  workspace_id: string;
  subject_type: string; // 'ticket' (incidents later)
  subject_id: string;
  target: string;
  kind: string; // 'warning' | 'breach'
  cycle: number;
  at: string;
  created_at: string;
};
/** SLA outcomes per workspace, day and policy (see daily.ts); n and minutes_centi move by deltas. */
export type SlaDailyTable = {
  workspace_id: string;
  subject_type: string;
  day: string;
  policy_id: string;
  target: string;
  outcome: string;
  bucket: number;
  n: number;
  minutes_centi: number;
};
/** When each SLA scanner last completed a scan (metrics.ts). */
export type SlaScansTable = {
  scanner: string;
  last_completed_at: string;
  checked: number;
};
export type SlaTables = {
  calendars: CalendarsTable;
  sla_policies: SlaPoliciesTable;
  sla_alerts: SlaAlertsTable;
  sla_daily: SlaDailyTable;
  sla_scans: SlaScansTable;
};

export const own = (e: Executor) => tablesOf<SlaTables>(e);
