import { tablesOf, type Executor } from '../../db/index.ts';

/** Every export and erasure of a shopper's data: who, when, the counts (never the data). */
export type PrivacyRequestsTable = {
  id: string;
  workspace_id: string;
  customer_id: string;
  kind: string; // export | erasure
  actor_id: string | null;
  summary: string; // JSON counts
  created_at: string;
};
/** How long a kind of data is kept, per workspace (no row: kept forever). */
export type RetentionRulesTable = { workspace_id: string; kind: string; days: number; updated_at: string };
/** Re-encryption of stored values under the current key: one row per rotation, resumable. */
export type KeyRotationsTable = {
  id: string;
  key_id: number;
  status: string; // running | done
  progress: string; // JSON { target, cursor, scanned, changed }
  started_at: string;
  updated_at: string;
  finished_at: string | null;
};
export type PrivacyTables = {
  privacy_requests: PrivacyRequestsTable;
  retention_rules: RetentionRulesTable;
  key_rotations: KeyRotationsTable;
};

export const own = (e: Executor) => tablesOf<PrivacyTables>(e);
