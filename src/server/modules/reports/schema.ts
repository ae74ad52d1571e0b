import { tablesOf, type Executor } from '../../db/index.ts';
import type { Database } from '../../db/schema.ts';

export type ReportsTable = {
  id: string;
  workspace_id: string;
  type: string;
  period_key: string;
  zone: string;
  period_start: string;
  period_end: string;
  document: string; // JSON ReportDocument; sha256 is over exactly this text
  sha256: string;
  /** JSON InputSnapshot (inputs-snapshot.ts, migration 0281) and its SHA-256; null for reports stored before it. */
  inputs: string | null;
  inputs_sha256: string | null;
  trigger: string; // 'schedule' | 'manual' | 'cli' | 'demo'
  produced_at: string;
  delivered_at: string | null;
};
export type ReportSignoffsTable = {
  report_id: string;
  workspace_id: string;
  party: string; // 'merchant' | 'vendor'
  user_id: string;
  user_name: string;
  sha256: string;
  at: string;
};
export type ReportSchedulesTable = {
  workspace_id: string;
  type: string;
  enabled: number;
  local_time: string; // HH:MM in the workspace's zone
  recipients: string; // JSON string[] of e-mail addresses
  channels: string | null; // JSON string[] of incident_channels ids; null: every enabled channel
  updated_at: string;
};
export type ReportsTables = {
  reports: ReportsTable;
  report_signoffs: ReportSignoffsTable;
  report_schedules: ReportSchedulesTable;
};

export const own = (e: Executor) => tablesOf<ReportsTables>(e);
/** Reports read other modules' tables (read-only; architecture §2 rule 1): inputs.ts, and schedules.ts (recipients, channels). */
export const across = (e: Executor) => tablesOf<Database>(e);
