/**
 * The statements of alert transitions (alerts.ts), each for many alerts at once: a storm (every
 * rule's alerts changing state in one cycle, thousands of them) is written as a few multi-row
 * statements per chunk of `chunkRows` alerts, one transaction per chunk with a turn of the event
 * loop between, instead of a statement and a share of a transaction per alert. Every statement
 * keeps the single alert's compare-and-set condition, so of two evaluators one moves each alert.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { own, type MonitoringAlertsTable } from './schema.ts';

/**
 * Alerts per statement and per transaction. A chunk is one unit of work between turns of the loop,
 * so its length is what a storm adds to the chat gateway's loop delay: a chunk of 50 refreshes took
 * ~2 ms on SQLite plus its commit, and the storm's delay p99 rose with it (docs/PERFORMANCE.md,
 * "Monitoring"); 20 keep a unit near 1 ms.
 */
export const chunkRows = 20;

/** `xs` in chunks of `chunkRows`. */
export function chunked<T>(xs: readonly T[], n = chunkRows): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Inserts new alerts; a fingerprint another evaluator made active first is skipped. */
export async function insertAlerts(e: Executor, rows: readonly MonitoringAlertsTable[]): Promise<void> {
  if (!rows.length) return;
  await own(e)
    .insertInto('monitoring_alerts')
    .values(rows as MonitoringAlertsTable[])
    .onConflict((oc) =>
      oc
        .column('fingerprint')
        .where(sql<boolean>`state in ('pending', 'firing')`)
        .doNothing(),
    )
    .execute();
}

export type AlertMove = {
  id: string;
  state: string;
  nextState: string;
  firedAt: string | null;
  value: number | null;
  annotations: string;
};

/**
 * Compare-and-set on the state read, for many alerts in one statement (each alert is still returned: its state, value, annotations): an update joined to a VALUES list (its columns
 * are `column1`… on both engines; the casts type PostgreSQL's parameters).
 */
export async function refreshAlerts(e: Executor, moves: readonly AlertMove[], at: string): Promise<void> {
  if (!moves.length) return;
  const rows = sql.join(
    moves.map(
      (m) =>
        sql`(${m.id}, ${m.state}, ${m.nextState}, cast(${m.firedAt} as text), cast(${m.value} as double precision), ${m.annotations})`,
    ),
  );
  await sql`update monitoring_alerts set state = v.column3, fired_at = v.column4, value = v.column5,
    annotations = v.column6, keep_since = null, last_eval_at = ${at}
    from (values ${rows}) as v
    where monitoring_alerts.id = v.column1 and monitoring_alerts.state = v.column2`.execute(e);
}

/** Pending alerts that are no longer returned are dropped. */
export async function dropPendings(e: Executor, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await own(e).deleteFrom('monitoring_alerts').where('id', 'in', ids).where('state', '=', 'pending').execute();
}

/** Firing alerts no longer returned, kept firing (keep_firing_for) since `since`. */
export async function keepFirings(e: Executor, ids: readonly string[], since: string, at: string): Promise<void> {
  if (!ids.length) return;
  await own(e)
    .updateTable('monitoring_alerts')
    .set({ keep_since: since, last_eval_at: at })
    .where('id', 'in', ids)
    .execute();
}

/** Resolves firing alerts: the ids this call resolved (another evaluator may have first). */
export async function resolveAlerts(e: Executor, ids: readonly string[], at: string): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await own(e)
    .updateTable('monitoring_alerts')
    .set({ state: 'resolved', resolved_at: at, last_eval_at: at })
    .where('id', 'in', ids)
    .where('state', '=', 'firing')
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Records what suppresses firing alerts not yet announced (`by`, the same for all); with none,
 * marks them announced. The ids this call marked (the caller publishes alert.firing for each in
 * the same transaction).
 */
export async function markNotifiedMany(
  e: Executor,
  ids: readonly string[],
  by: string | null,
  at: string,
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await own(e)
    .updateTable('monitoring_alerts')
    .set({ suppressed_by: by, notified: by ? 0 : 1, notified_at: by ? null : at })
    .where('id', 'in', ids)
    .where('notified', '=', 0)
    .where('state', '=', 'firing')
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}
