/**
 * Runs in a worker thread: commits message batches to the SQLite file with its own connection
 * (sqlite-commit.ts). SQLite's fsync and WAL checkpoints block the thread that runs them; here
 * that is this worker, never the event loop that relays messages. Only node built-ins, the SQL
 * functions and pure project files are imported.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { registerSqliteFunctions } from '../../db/sqlite-functions.ts';
import { sqliteCommitter } from './sqlite-commit.ts';
import type { PendingMessage } from './writer.ts';

const db = new DatabaseSync((workerData as { file: string }).file, { timeout: 10_000 });
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA foreign_keys = ON');
registerSqliteFunctions(db); // the messages' full-text trigger calls kefu_terms
const commit = sqliteCommitter(db);

parentPort!.on('message', (msg: { id: number; batch: PendingMessage[] } | 'close') => {
  if (msg === 'close') {
    db.close();
    parentPort!.close(); // lets the worker exit
    return;
  }
  try {
    parentPort!.postMessage({ id: msg.id, results: commit(msg.batch) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
