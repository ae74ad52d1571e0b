import { tablesOf, type Executor } from '../../db/index.ts';

export type AuditLogTable = {
  id: string;
  workspace_id: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  data: string; // JSON object
  created_at: string;
};
/** Empty except inside the retention purge's own transaction (the append-only trigger lets its DELETE pass). */
export type AuditPurgeGateTable = { id: number };
export type AuditTables = { audit_log: AuditLogTable; audit_purge_gate: AuditPurgeGateTable };

export const own = (e: Executor) => tablesOf<AuditTables>(e);
