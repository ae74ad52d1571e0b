import { tablesOf, type Executor } from '../../db/index.ts';

/** Where backups go. `settings` is JSON without secrets; `secrets_enc` the secrets, encrypted with the installation key. */
export type BackupTargetsTable = {
  id: string;
  name: string;
  kind: string;
  settings: string;
  secrets_enc: string | null;
  offsite: number;
  enabled: number;
  /** SFTP: the server's host key (SHA-256 fingerprint), pinned on the first connection. */
  host_key: string | null;
  /** The target's own retention as JSON `{"daily","weekly","monthly"}`; null: the installation's. */
  retention: string | null;
  /** `console`, or `config` (the config file's `backupTargets`, synced at start; read-only in the console). */
  source: string;
  created_at: string;
  updated_at: string;
};

/** One backup, verification, drill, prune or off-site copy: its state while it runs, its figures and report after. */
export type BackupRunsTable = {
  id: string;
  target_id: string | null;
  kind: string;
  trigger: string;
  status: string;
  progress: number;
  backup_id: string | null;
  bytes: number | null;
  stored_bytes: number | null;
  duration_ms: number | null;
  report: string | null;
  error: string | null;
  requested_by: string | null;
  started_at: string;
  finished_at: string | null;
  /** The process running it (`host pid instance`), while it runs (migration 0271). */
  runner: string | null;
  /** Beaten by that process while the run is `running`; a stale beat is a run whose process stopped. */
  heartbeat_at: string | null;
  /** A verification: when the newest backup it found intact was made (null: none was; migration 0272). */
  verified_backup_at: string | null;
  /** A failure's cause: `damaged` (a check found backups that cannot restore) or `error` (the run could not work; migration 0280). */
  failure_cause: 'damaged' | 'error' | null;
};

/** Writes stopped for a restore over live data (one row, id `installation`): servers refuse writes while it exists. */
export type BackupWriteStopTable = { id: string; reason: string; stopped_at: string };

export type BackupsTables = {
  backup_targets: BackupTargetsTable;
  backup_runs: BackupRunsTable;
  backup_write_stop: BackupWriteStopTable;
};

export const own = (e: Executor) => tablesOf<BackupsTables>(e);
