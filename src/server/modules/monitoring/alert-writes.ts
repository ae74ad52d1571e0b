/**
 * The statements of alert transitions (alerts.ts), built once per engine (`prepared`): a storm
 * of thousands of transitions (every rule's alerts turning firing at once) spent about as much of
 * the event loop building and compiling these queries through Kysely as running them.
 */
import { sql } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Executor } from '../../db/index.ts';
import { own, type MonitoringAlertsTable } from './schema.ts';

const changed = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0) > 0;

const columns = [
  'id',
  'fingerprint',
  'group_name',
  'rule',
  'state',
  'severity',
  'component',
  'labels',
  'annotations',
  'value',
  'active_at',
  'fired_at',
  'resolved_at',
  'keep_since',
  'notified',
  'notified_at',
  'notify_count',
  'suppressed_by',
  'last_eval_at',
] as const satisfies readonly (keyof MonitoringAlertsTable)[];

const insert = prepared(columns.length, own, (db, ...v: unknown[]) =>
  db
    .insertInto('monitoring_alerts')
    .values(Object.fromEntries(columns.map((c, i) => [c, v[i]])) as MonitoringAlertsTable)
    .onConflict((oc) =>
      oc
        .column('fingerprint')
        .where(sql<boolean>`state in ('pending', 'firing')`)
        .doNothing(),
    ),
);
/** Inserts a new alert; false when another evaluator's active alert of that fingerprint exists. */
export const insertAlert = async (e: Executor, row: MonitoringAlertsTable): Promise<boolean> =>
  changed(await insert(e, ...columns.map((c) => row[c])));

const refresh = prepared(
  7,
  own,
  (
    db,
    id: string,
    state: string,
    nextState: string,
    firedAt: unknown,
    value: unknown,
    annotations: string,
    at: string,
  ) =>
    db
      .updateTable('monitoring_alerts')
      .set({
        state: nextState,
        fired_at: firedAt as string | null,
        value: value as number | null,
        annotations,
        keep_since: null,
        last_eval_at: at,
      })
      .where('id', '=', id)
      .where('state', '=', state),
);
/** Compare-and-set on the state read: the alert is still returned (its state, value, annotations). */
export const refreshAlert = (
  e: Executor,
  a: { id: string; state: string; nextState: string; firedAt: string | null },
  value: number | null,
  annotations: string,
  at: string,
) => refresh(e, a.id, a.state, a.nextState, a.firedAt, value, annotations, at);

const drop = prepared(1, own, (db, id: string) =>
  db.deleteFrom('monitoring_alerts').where('id', '=', id).where('state', '=', 'pending'),
);
/** A pending alert that is no longer returned is dropped. */
export const dropPending = (e: Executor, id: string) => drop(e, id);

const keep = prepared(3, own, (db, id: string, since: string, at: string) =>
  db.updateTable('monitoring_alerts').set({ keep_since: since, last_eval_at: at }).where('id', '=', id),
);
/** A firing alert no longer returned, kept firing (keep_firing_for) since `since`. */
export const keepFiring = (e: Executor, id: string, since: string, at: string) => keep(e, id, since, at);

const resolve = prepared(2, own, (db, id: string, at: string) =>
  db
    .updateTable('monitoring_alerts')
    .set({ state: 'resolved', resolved_at: at, last_eval_at: at })
    .where('id', '=', id)
    .where('state', '=', 'firing'),
);
/** Resolves a firing alert; false when another evaluator did first. */
export const resolveAlert = async (e: Executor, id: string, at: string): Promise<boolean> =>
  changed(await resolve(e, id, at));

const notify = prepared(4, own, (db, id: string, by: unknown, notified: unknown, at: unknown) =>
  db
    .updateTable('monitoring_alerts')
    .set({ suppressed_by: by as string | null, notified: notified as number, notified_at: at as string | null })
    .where('id', '=', id)
    .where('notified', '=', 0)
    .where('state', '=', 'firing'),
);
/**
 * Records what suppresses a firing alert not yet announced; when nothing does, marks it announced.
 * True when this call marked it (the caller publishes alert.firing in the same transaction).
 */
export const markNotified = async (e: Executor, id: string, by: string | null, at: string): Promise<boolean> =>
  changed(await notify(e, id, by, by ? 0 : 1, by ? null : at));
