/**
 * Backups module: encrypted, content-addressed, incremental backups of the database, attachments
 * and keys onto local folders, SFTP servers and S3-compatible stores; retention with restic's
 * semantics; verification; restores into a new place; restore drills that measure RTO and RPO.
 * Runbook: docs/OPERATIONS.md ("Backups and restores").
 */
import type { KefuModule } from '../../module.ts';
import { backupEvents } from './events.ts';
import { backupJobs, backupSchedules } from './jobs.ts';
import { registerBackupMetrics } from './metrics.ts';
import { backupRoutes } from './routes.ts';
import { seedBackups } from './seed.ts';
import { syncConfigTargets } from './config-targets.ts';
import { recoverInterrupted } from './recovery.ts';

/** The key: `generateBackupKey` (for `kefu backup key init`), `validateBackupKey` (a problem line or null). */
export { generateBackupKey, validateBackupKey, WrongKeyError, BackupIntegrityError } from './crypto.ts';
/** A repository on a target (`openRepo`), and the engine's operations on it. */
export { openRepo, type Repo } from './repo.ts';
export { createBackup, type BackupSource } from './engine.ts';
export { backupLocked, copyBackup, listBackups, prune, verifyAndMark, type ListedBackup } from './operations.ts';
export { restoreBackup, RestoreError, type RestoreResult } from './restore.ts';
export { holdsKefuData, restoreOverLive, type LiveRestoreResult } from './restore-live.ts';
/** Writes stopped for a restore over live data: servers answer writes with 503, workers pause. */
export {
  assertWritesAllowed,
  writeRefusalNow,
  installWriteStop,
  readWriteStop,
  resumeWrites,
  stopWrites,
  writesStopped,
  writeStopGraceMs,
} from './write-stop.ts';
export { runDrill, type DrillReport } from './drill.ts';
export { planRetention, policyOf, type RetentionPolicy } from './retention.ts';
/** The retention a configured target applies (its own, else the installation's). */
export { targetPolicy, targetByName } from './service.ts';
export { sourceOf } from './source.ts';
export { backupErrorMessage } from './errors.ts';
export { resolveTarget, type TargetLookup } from './targets/resolve.ts';
export { localTarget } from './targets/local.ts';
export type { Manifest } from './manifest.ts';
/** Configured targets by name (for `kefu backup --target NAME`). */
export { namedTarget } from './targets/named.ts';
/** The config file's `backupTargets` written into the targets table (at start, and by the command line). */
export { syncConfigTargets } from './config-targets.ts';

/** Key rotation: reseal a batch of targets' secrets under the current key (the privacy module). */
export { resealBackupTargets } from './reseal.ts';

export const backupsModule: KefuModule = {
  name: 'backups',
  tables: ['backup_targets', 'backup_runs', 'backup_write_stop'],
  events: backupEvents,
  permissions: ['installation.ops'],
  routes: backupRoutes,
  jobs: backupJobs,
  /** In the installation's `backupTimeZone`. */
  schedules: (config) => backupSchedules(config.backupTimeZone),
  seed: seedBackups,
  /**
   * The config file's targets into the table, on every node (idempotent); runs left `running` by a
   * process that stopped are marked failed and their work folders deleted (recovery.ts).
   */
  start: async (s) => {
    await syncConfigTargets(s);
    await recoverInterrupted(s);
  },
  /** `kefu_backup_run_failed`, `kefu_backup_damage_found` and `kefu_backup_last_verified_age_seconds`, for the built-in backup alert rules. */
  metrics: registerBackupMetrics,
};
