/**
 * Runs in a worker thread: the checks of a restored SQLite file (integrity check, row counts and,
 * when asked, row checksums per table). Off the main thread because each is one synchronous call
 * that reads the whole database: seconds for a large one, during which a server running a drill or
 * a verification would answer nothing (chat included).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checksumSqliteTables, countSqliteRows, sqliteIntegrity } from './sqlite-rows.ts';

const { file, checksums } = workerData as { file: string; checksums: boolean };
try {
  const problems = sqliteIntegrity(file);
  parentPort!.postMessage(
    problems.length
      ? { ok: true, problems }
      : {
          ok: true,
          problems,
          tables: countSqliteRows(file),
          ...(checksums ? { checksums: checksumSqliteTables(file) } : {}),
        },
  );
} catch (err) {
  parentPort!.postMessage({ ok: false, error: (err as Error).message });
}
