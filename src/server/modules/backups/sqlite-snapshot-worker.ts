/**
 * Runs in a worker thread: SQLite's online backup of the live database into a snapshot file, in
 * one step (one read transaction: consistent, never restarted by the server's writes, which WAL
 * lets go on meanwhile), then the snapshot's row counts and row checksums per table. Off the main thread because a step of
 * SQLite's backup holds the thread that runs it.
 */
import { backup, DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { checksumSqliteTables, countSqliteRows } from './sqlite-rows.ts';

const { source, dest } = workerData as { source: string; dest: string };
try {
  const db = new DatabaseSync(source, { timeout: 5000 });
  const started = new Date().toISOString();
  try {
    await backup(db, dest, { rate: 2 ** 31 - 1 });
  } finally {
    db.close();
  }
  parentPort!.postMessage({
    ok: true,
    consistencyAt: started,
    tables: countSqliteRows(dest),
    checksums: checksumSqliteTables(dest),
  });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: (err as Error).message });
}
