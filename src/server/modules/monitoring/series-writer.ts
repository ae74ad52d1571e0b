/**
 * On SQLite, the series store's writes (a batch's raw samples and rollups, the retention deletes)
 * run in a worker thread on a connection of its own (sqlite-series-worker.ts), as chat messages
 * do (conversations/sqlite-writer-worker.ts): node:sqlite is synchronous, and 5,000 series every
 * 15 s written on the event loop's connection held the chat gateway's loop for a few milliseconds
 * at a time (docs/PERFORMANCE.md, "Monitoring"). The event loop only hands the rows over: series
 * ids and values as typed arrays (copied, not serialised per row). A write resolves once its rows
 * are committed, so what is read after it sees them, as before.
 *
 * The worker starts on the first write and ends with `close` (the module's stop); a write after
 * that starts a new one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { moduleState, type Services } from '../../context.ts';
import type { AlertMove } from './alert-writes.ts';
import type { MonitoringAlertsTable } from './schema.ts';

/** Alert transitions that publish no event (alerts.ts), written in this order. */
export type AlertWrites = {
  inserts: MonitoringAlertsTable[];
  moves: AlertMove[];
  drops: string[];
  keeps: string[];
  at: string;
};

export type SeriesWriterRequest = { id: number } & (
  | { kind: 'write'; t: number; ids: Int32Array; values: Float64Array }
  | { kind: 'alerts'; writes: AlertWrites }
  | { kind: 'prune'; cutoffs: { raw: number; minute: number; hour: number } }
);

export type SeriesWriter = {
  write(t: number, ids: readonly number[], values: readonly number[]): Promise<number>;
  prune(cutoffs: { raw: number; minute: number; hour: number }): Promise<number>;
  alerts(writes: AlertWrites): Promise<number>;
  close(): Promise<void>;
};

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

export function sqliteSeriesWriter(file: string): SeriesWriter {
  let worker: Worker | null = null;
  const pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./sqlite-series-worker.ts', import.meta.url), { workerData: { file } });
    w.unref();
    w.on('message', (msg: { id: number; result?: number; error?: string }) => {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (!pending.size) w.unref();
      if (msg.error !== undefined) p?.reject(new Error(msg.error));
      else p?.resolve(msg.result!);
    });
    w.on('error', (err: Error) => {
      if (worker === w) worker = null; // the next write starts a new one
      failAll(err);
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('the series writer thread ended'));
    });
    worker = w;
    return w;
  };
  const request = (body: Distribute<SeriesWriterRequest>, transfer: ArrayBuffer[] = []) => {
    const id = nextId++;
    return new Promise<number>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const w = started();
      // A write being committed keeps the process alive (a CLI awaiting it); an idle thread does not.
      w.ref();
      w.postMessage({ ...body, id }, transfer);
    });
  };
  return {
    write(t, ids, values) {
      const i = Int32Array.from(ids);
      const v = Float64Array.from(values);
      return request({ kind: 'write', t, ids: i, values: v }, [i.buffer, v.buffer]);
    },
    prune: (cutoffs) => request({ kind: 'prune', cutoffs }),
    alerts: (writes) => request({ kind: 'alerts', writes }),
    async close() {
      const w = worker;
      if (!w) return;
      worker = null;
      const exited = new Promise((r) => w.once('exit', r));
      // Held until it has ended: an idle thread is unref'd, and a process with nothing else left
      // (a CLI closing its services) would otherwise exit 13 with this await unsettled.
      w.ref();
      w.postMessage('close');
      await exited;
    },
  };
}

/**
 * This process's monitoring writer on SQLite (started on its first request); none on PostgreSQL
 * (its pool does not hold the event loop), nor inside a unit of work (the thread would wait for
 * the write lock that transaction holds), nor without a database file, nor where the process
 * state holds null for it.
 */
export function monitoringWriterOf(s: Services): SeriesWriter | undefined {
  if (s.engine !== 'sqlite' || s.uow || !s.config) return undefined;
  const file = join(s.config.dataDir, 'kefu.db');
  if (!existsSync(file)) return undefined;
  // A process state holding null has it switched off (tests of the statements on the connection).
  return moduleState<SeriesWriter | null>(s, 'monitoring.writer', () => sqliteSeriesWriter(file)) ?? undefined;
}
