/**
 * The figures monitoring's alert rules read (through the Prometheus registry, the one small
 * interface between modules and monitoring: this module never imports `monitoring`). The
 * built-in rules `DataLossDetected` (P1), `BackupFailed` and `BackupNotVerified` (monitoring/defaults.ts) turn them into
 * alerts, which the incidents module turns into incidents.
 *
 * - `kefu_backup_run_failed{target,kind}`: 1 when the newest finished run of that kind (backup,
 *   verify, drill, copy) on an enabled target failed, 0 when it succeeded; the next good run
 *   clears it, so the alert resolves by itself.
 * - `kefu_backup_damage_found{target,kind}` (verify and drill only): 1 when that newest run failed
 *   because it found backups that cannot bring the data back (`failure_cause` damaged), 0 otherwise
 *   (it passed, or it could not run: an unreachable target is not data loss).
 * - `kefu_backup_last_verified_age_seconds`: the age of the newest backup that a verification
 *   found intact (its creation time; since the first enabled target was configured, when there is
 *   none yet): a verification that failed, or found only old backups intact, does not reset it; 0
 *   while no target is enabled, so an installation that keeps no backups is not alerted about them.
 */
import { Gauge } from 'prom-client';
import type { Services } from '../../context.ts';
import { own } from './schema.ts';
import { newestVerifiedBackupAt, targetRows } from './service.ts';

/** The kinds whose failure is an alert (prune skips, it does not fail; `watch` rows are the staleness watch's own). */
export const alertedKinds = ['backup', 'verify', 'drill', 'copy'] as const;

export type RunOutcome = { target: string; kind: string; failed: boolean; damaged: boolean };

/** The kinds that check backups, whose failure can be damage found. */
const checkingKinds: readonly string[] = ['verify', 'drill'];

/** The newest finished run of each alerted kind on each enabled target (one index probe each). */
export async function latestOutcomes(s: Pick<Services, 'db'>): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const t of (await targetRows(s)).filter((t) => t.enabled))
    for (const kind of alertedKinds) {
      const r = await own(s.db)
        .selectFrom('backup_runs')
        .select(['status', 'failure_cause'])
        .where('target_id', '=', t.id)
        .where('kind', '=', kind)
        .where('status', 'in', ['ok', 'failed'])
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (r)
        out.push({
          target: t.name,
          kind,
          failed: r.status === 'failed',
          damaged: r.status === 'failed' && r.failure_cause === 'damaged',
        });
    }
  return out;
}

/**
 * The age in seconds of the newest backup a verification found intact (since the first enabled
 * target was configured, when there is none), or null when no target is enabled.
 */
export async function unverifiedSeconds(s: Pick<Services, 'db' | 'clock'>): Promise<number | null> {
  const targets = (await targetRows(s)).filter((t) => t.enabled);
  if (!targets.length) return null;
  const verified = await newestVerifiedBackupAt(s);
  const since = verified ? Date.parse(verified) : Math.min(...targets.map((t) => Date.parse(t.created_at)));
  return Math.max(0, (s.clock.now().getTime() - since) / 1000);
}

export function registerBackupMetrics(s: Services): void {
  const r = s.metrics;
  if (r.getSingleMetric('kefu_backup_run_failed')) return;
  new Gauge({
    name: 'kefu_backup_run_failed',
    help: 'Whether the newest finished run of a kind (backup, verify, drill, copy) on an enabled backup target failed (1) or succeeded (0)',
    labelNames: ['target', 'kind'],
    registers: [r],
    async collect() {
      const outcomes = await latestOutcomes(s);
      this.reset();
      for (const o of outcomes) this.set({ target: o.target, kind: o.kind }, o.failed ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kefu_backup_damage_found',
    help: 'Whether the newest verification or restore drill on an enabled backup target found backups that cannot bring the data back (1) or not (0)',
    labelNames: ['target', 'kind'],
    registers: [r],
    async collect() {
      const outcomes = await latestOutcomes(s);
      this.reset();
      for (const o of outcomes)
        if (checkingKinds.includes(o.kind)) this.set({ target: o.target, kind: o.kind }, o.damaged ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kefu_backup_last_verified_age_seconds',
    help: 'Age in seconds of the newest backup a verification found intact (0 while no backup target is enabled)',
    registers: [r],
    async collect() {
      this.set((await unverifiedSeconds(s)) ?? 0);
    },
  });
}
