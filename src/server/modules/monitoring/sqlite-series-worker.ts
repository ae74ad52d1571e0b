/**
 * Runs in a worker thread (series-writer.ts starts it): writes the series store's batches (raw
 * samples and the minute and hour rollups), its retention deletes, and the alert transitions that
 * publish no event (alerts.ts: new alerts, refreshes, dropped pendings, keep-firing marks) on a
 * `node:sqlite` connection of its own, so that on SQLite the event loop that serves the chat
 * gateway only hands the rows over (docs/PERFORMANCE.md, "Monitoring"). Every alert statement
 * keeps its compare-and-set condition. Only node built-ins and types are imported.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import type { MonitoringTables } from './schema.ts';
import type { AlertWrites, SeriesWriterRequest } from './series-writer.ts';

/** Series per transaction: a few milliseconds of the write lock, which the chat writer's thread and the event loop's connection wait for. */
const chunkRows = 250;

const db = new DatabaseSync((workerData as { file: string }).file, { timeout: 10_000 });
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');

// Prepared on first use: the worker may start before the migrations have created the tables.
let st: ReturnType<typeof prepare> | undefined;
function prepare() {
  return {
    sample: db.prepare(`INSERT INTO monitoring_samples (series_id, t, v) VALUES (?, ?, ?)
      ON CONFLICT (series_id, t) DO UPDATE SET v = excluded.v`),
    rollup: db.prepare(`INSERT INTO monitoring_rollups (series_id, res, t, n, sum, min, max, last)
      VALUES (?1, ?2, ?3, 1, ?4, ?4, ?4, ?4)
      ON CONFLICT (series_id, res, t) DO UPDATE SET
        n = monitoring_rollups.n + 1, sum = monitoring_rollups.sum + excluded.sum,
        min = min(monitoring_rollups.min, excluded.min), max = max(monitoring_rollups.max, excluded.max),
        last = excluded.last`),
    move: db.prepare(`UPDATE monitoring_alerts SET state = ?3, fired_at = ?4, value = ?5, annotations = ?6,
      keep_since = NULL, last_eval_at = ?7 WHERE id = ?1 AND state = ?2`),
    drop: db.prepare(`DELETE FROM monitoring_alerts WHERE id = ? AND state = 'pending'`),
    keep: db.prepare('UPDATE monitoring_alerts SET keep_since = ?, last_eval_at = ? WHERE id = ?'),
  };
}

/** Alert rows per transaction. */
const alertChunk = 100;
const insertStatements = new Map<string, ReturnType<DatabaseSync['prepare']>>();

/** New alerts (all of one shape); a fingerprint another evaluator made active first is skipped. */
function insertAlert(row: MonitoringTables['monitoring_alerts']): void {
  const columns = Object.keys(row);
  const key = columns.join(',');
  let st = insertStatements.get(key);
  if (!st) {
    st = db.prepare(`INSERT INTO monitoring_alerts (${key}) VALUES (${columns.map(() => '?').join(', ')})
      ON CONFLICT (fingerprint) WHERE state IN ('pending', 'firing') DO NOTHING`);
    insertStatements.set(key, st);
  }
  st.run(...(Object.values(row) as (string | number | null)[]));
}

/** Each kind in order (inserts, moves, drops, keeps), in transactions of `alertChunk` rows. */
function writeAlerts(w: AlertWrites): number {
  st ??= prepare();
  const s = st;
  const ops: (() => void)[] = [
    ...w.inserts.map((r) => () => insertAlert(r)),
    ...w.moves.map((m) => () => s.move.run(m.id, m.state, m.nextState, m.firedAt, m.value, m.annotations, w.at)),
    ...w.drops.map((id) => () => s.drop.run(id)),
    ...w.keeps.map((id) => () => s.keep.run(w.at, w.at, id)),
  ];
  for (let i = 0; i < ops.length; i += alertChunk)
    inTransaction(() => {
      for (const op of ops.slice(i, i + alertChunk)) op();
    });
  return ops.length;
}

function inTransaction<T>(body: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const r = body();
    db.exec('COMMIT');
    return r;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** One batch at `t`: each chunk of series (raw sample and both rollups) in one transaction. */
function write(t: number, ids: ArrayLike<number>, values: ArrayLike<number>): void {
  st ??= prepare();
  const s = st;
  const buckets = [60, 3600].map((res) => [res, Math.floor(t / (res * 1000)) * res * 1000] as const);
  for (let i = 0; i < ids.length; i += chunkRows)
    inTransaction(() => {
      for (let k = i; k < Math.min(ids.length, i + chunkRows); k++) {
        s.sample.run(ids[k], t, values[k]);
        for (const [res, bucket] of buckets) s.rollup.run(ids[k], res, bucket, values[k]);
      }
    });
}

function prune(cutoffs: { raw: number; minute: number; hour: number }): number {
  let n = 0;
  n += Number(db.prepare('DELETE FROM monitoring_samples WHERE t < ?').run(cutoffs.raw).changes);
  const rollups = db.prepare('DELETE FROM monitoring_rollups WHERE res = ? AND t < ?');
  n += Number(rollups.run(60, cutoffs.minute).changes);
  n += Number(rollups.run(3600, cutoffs.hour).changes);
  return n;
}

parentPort!.on('message', (msg: SeriesWriterRequest | 'close') => {
  if (msg === 'close') {
    db.close();
    parentPort!.close(); // lets the worker exit
    return;
  }
  try {
    const result =
      msg.kind === 'write'
        ? (write(msg.t, msg.ids, msg.values), msg.ids.length)
        : msg.kind === 'alerts'
          ? writeAlerts(msg.writes)
          : prune(msg.cutoffs);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
