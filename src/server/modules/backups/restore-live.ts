/**
 * `kefu restore --force` over live data: (1) stop writes in the live database (servers on it answer
 * writes with 503, workers pause) and wait until every server has seen that, (2) take a safety
 * backup of the live data into the same repository, (3) restore. The restored data starts with
 * writes allowed. A failure before anything was replaced resumes writes; a PostgreSQL restore that
 * failed after the old schema was dropped leaves writes stopped and names the safety backup.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Services } from '../../context.ts';
import type { Manifest } from './manifest.ts';
import { backupLocked } from './operations.ts';
import type { Repo } from './repo.ts';
import { restoreBackup, RestoreError, type RestoreDestination, type RestoreResult } from './restore.ts';
import { sourceOf } from './source.ts';
import { resumeWrites, stopWrites, writeStopGraceMs } from './write-stop.ts';

export type LiveRestoreResult = RestoreResult & { safetyBackupId: string; writesStoppedMs: number };

/** Whether the destination holds a Kefu installation's data (a database Kefu migrated). */
export async function holdsKefuData(dest: RestoreDestination, pgSchema = 'public'): Promise<boolean> {
  if (!dest.databaseUrl) return !!dest.folder && existsSync(join(dest.folder, 'kefu.db'));
  const c = new pg.Client({ connectionString: dest.databaseUrl });
  await c.connect();
  try {
    const r = await c.query(`select 1 from pg_tables where schemaname = $1 and tablename = 'kefu_migrations'`, [
      pgSchema,
    ]);
    return !!r.rowCount;
  } finally {
    await c.end();
  }
}

export async function restoreOverLive(
  repo: Repo,
  m: Manifest,
  dest: RestoreDestination,
  live: Services,
  opts: { now: () => Date; graceMs?: number; onStopped?: () => void },
): Promise<LiveRestoreResult> {
  const stopped = performance.now();
  await stopWrites(live.db, `backup ${m.id} is being restored over this data (kefu restore --force)`, opts.now());
  opts.onStopped?.();
  await new Promise((r) => setTimeout(r, opts.graceMs ?? writeStopGraceMs));
  let safety: Manifest;
  try {
    safety = await backupLocked(await sourceOf(live), repo, { now: opts.now, reason: 'safety', faults: live.faults });
  } catch (err) {
    await resumeWrites(live.db);
    throw err;
  }
  let r: RestoreResult;
  try {
    r = await restoreBackup(repo, m, dest, { force: true, now: opts.now });
  } catch (err) {
    if (!dest.databaseUrl) {
      // The folder is replaced by the last rename only: the live data is as it was.
      await resumeWrites(live.db);
      throw err;
    }
    throw new RestoreError(
      `${(err as Error).message}; writes stay stopped on ${dest.databaseUrl.replace(/\/\/[^@/]*@/, '//')}: ` +
        `restore the safety backup ${safety.id} (kefu restore ${safety.id} --force) to go back`,
    );
  }
  return { ...r, safetyBackupId: safety.id, writesStoppedMs: Math.round(performance.now() - stopped) };
}
