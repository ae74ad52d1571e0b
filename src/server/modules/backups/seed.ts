/**
 * Demo data: a local target beside the data folder of the primary server in Hangzhou (enabled when
 * a backup key is configured) and a disabled off-site SFTP target on a server in another city
 * (Shanghai: the contract's "a server in another city"), with a week of history and the last
 * quarterly restore drill so the console shows what a running installation looks like.
 *
 * The history sits on the nightly schedule's own times (03:00 Asia/Shanghai, jobs.ts), ending with
 * the last night that has passed: so the newest seeded verification is less than a day old and the
 * real nightly run (backup, prune, verify) comes before `BackupNotVerified`'s 26 hours. (History
 * counted back from "now" made the newest verification a day old at start, and the alert fired
 * about two hours later in a healthy demo.)
 */
import type { Services } from '../../context.ts';
import type { SeedTarget } from '../../module.ts';
import { newId } from '../../lib/ids.ts';
import { own } from './schema.ts';
import { saveTarget } from './service.ts';

/** A seeded night's runs: the backup at 03:00, its verification finished 72 s later. */
const nightRunsMs = 72_000;
/** The seeded drill's length (its RTO). */
const drillMs = 38_500;
/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const shanghaiMs = 8 * 3_600_000;

/**
 * The newest quarterly drill time (jobs.ts `backups.drill`: Jan/Apr/Jul/Oct 1st at 05:30
 * Asia/Shanghai) whose drill had finished by `now`.
 */
export function lastQuarterlyDrill(now: number): number {
  const local = new Date(now + shanghaiMs);
  for (let year = local.getUTCFullYear(); ; year--)
    for (const month of [9, 6, 3, 0]) {
      const at = Date.UTC(year, month, 1, 5, 30) - shanghaiMs;
      if (at + drillMs <= now) return at;
    }
}

/**
 * The newest 03:00 Asia/Shanghai (UTC+8 all year, no daylight saving: 19:00 UTC the day before)
 * at or before `now`; moved earlier when that night's runs could not have finished yet (a demo
 * started a minute after 03:00 missed that night's real run: its history must still end then).
 */
export function lastSeededNight(now: number): number {
  const day = 86_400_000;
  const offset = 19 * 3_600_000;
  const night = Math.floor((now - offset) / day) * day + offset;
  return Math.min(night, now - nightRunsMs);
}

export async function seedBackups(s: Services, _target: SeedTarget): Promise<void> {
  const local = await saveTarget(s, null, {
    kind: 'local',
    name: 'hangzhou-local',
    offsite: false,
    enabled: !!s.config.backupKey,
    settings: { path: `${s.config.dataDir.replace(/\/$/, '')}-backups` },
  });
  await saveTarget(s, null, {
    kind: 'sftp',
    name: 'shanghai-offsite',
    offsite: true,
    enabled: false,
    settings: { host: 'backup.shanghai.example.com', port: 22, username: 'kefu', path: '/srv/backups/kefu' },
  });
  const now = s.clock.now().getTime();
  const day = 86_400_000;
  const last = lastSeededNight(now);
  const rows = [];
  for (let i = 7; i >= 1; i--) {
    const at = last - (i - 1) * day;
    const bytes = 180_000_000 + (7 - i) * 2_400_000;
    const base = {
      target_id: local.id,
      trigger: 'schedule',
      progress: 100,
      requested_by: null,
      report: null,
      error: null,
      backup_id: null,
      bytes: null,
      stored_bytes: null,
    };
    rows.push({
      ...base,
      id: newId('brn', at),
      kind: 'backup',
      status: 'ok',
      backup_id: newId('bak', at),
      bytes,
      stored_bytes: i === 7 ? 61_000_000 : 3_100_000 + i * 90_000,
      duration_ms: 41_000 + i * 700,
      started_at: new Date(at).toISOString(),
      finished_at: new Date(at + 42_000).toISOString(),
    });
    const ok = i !== 4;
    rows.push({
      ...base,
      id: newId('brn', at + 60_000),
      kind: 'verify',
      status: ok ? 'ok' : 'failed',
      duration_ms: 12_000,
      error: ok ? null : '目标磁盘只读（已修复）: EROFS',
      // It found that night's backup intact (the staleness watch measures from it).
      verified_backup_at: ok ? new Date(at).toISOString() : null,
      // A read-only disk stopped it: it could not run, which is not damage found.
      failure_cause: ok ? null : ('error' as const),
      started_at: new Date(at + 60_000).toISOString(),
      finished_at: new Date(at + nightRunsMs).toISOString(),
    });
  }
  // The quarterly drill restored that morning's 03:00 backup: its RPO is the 2.5 hours between them.
  const drillAt = lastQuarterlyDrill(now);
  const drilled = drillAt - 2.5 * 3_600_000;
  rows.push({
    id: newId('brn', drillAt),
    target_id: local.id,
    kind: 'drill',
    trigger: 'schedule',
    status: 'ok',
    progress: 100,
    backup_id: newId('bak', drilled),
    bytes: 185_000_000,
    stored_bytes: null,
    duration_ms: drillMs,
    report: JSON.stringify({
      ok: true,
      rtoMs: drillMs,
      rpoMs: drillAt - drilled,
      restoreMs: 35_900,
      readyMs: 2_600,
      tables: [
        { name: 'tickets', expected: 1_204, restored: 1_204 },
        { name: 'messages', expected: 48_311, restored: 48_311 },
      ],
      problems: [],
    }),
    error: null,
    requested_by: null,
    started_at: new Date(drillAt).toISOString(),
    finished_at: new Date(drillAt + drillMs).toISOString(),
  });
  await own(s.db).insertInto('backup_runs').values(rows).execute();
}
