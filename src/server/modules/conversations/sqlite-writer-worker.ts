/**
 * Runs in a worker thread: commits message batches to the SQLite file with its own connection
 * (sqlite-commit.ts). SQLite's fsync and WAL checkpoints block the thread that runs them; here
 * that is this worker, never the event loop that relays messages. Only node built-ins, the SQL
 * functions and pure project files are imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWriterDb, sqliteCommitter, writerCheckpoints } from './sqlite-commit.ts';
import type { PendingMessage } from './writer.ts';

const db = openWriterDb((workerData as { file: string }).file);
const commit = sqliteCommitter(db);
const checkpoints = writerCheckpoints(db);

parentPort!.on('message', (msg: { id: number; batch: PendingMessage[] } | 'close') => {
  if (msg === 'close') {
    checkpoints.stop();
    db.close();
    parentPort!.close(); // lets the worker exit
    return;
  }
  try {
    parentPort!.postMessage({ id: msg.id, results: commit(msg.batch) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
    return;
  }
  checkpoints.committed(msg.batch.length); // after the results are on their way: acks never wait for it
});
