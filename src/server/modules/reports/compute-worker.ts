/**
 * Reports computed in a worker thread (one per process, started at the first report and kept):
 * each with its own database connection (SQLite opened on the same
 * file, PostgreSQL on the same schema), the inputs read and the document built there, the
 * document's JSON sent back. A busy shop's month (300,000 conversations, 3 million messages) takes
 * tens of seconds of reading and arithmetic; here it never blocks the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { sql } from 'kysely';
import { openDb } from '../../db/index.ts';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';
import type { ReportType } from './periods.ts';
import { dutyCycle } from './pace.ts';
import type { InputSnapshot } from './inputs-snapshot.ts';
import { computeWithInputs, serialise } from './service.ts';

export type ComputeJob = {
  databaseUrl?: string;
  sqliteFile: string;
  pgSchema?: string;
  workspaceId: string;
  type: ReportType;
  periodKey: string;
  /** The caller's clock, in ms (the period must have ended by then, unless provisional). */
  now: number;
  provisional?: boolean;
  sloPercent?: number;
  /** Recomputing a stored report: its input snapshot's JSON (inputs-snapshot.ts), parsed here. */
  inputsText?: string;
};

/**
 * This thread gives way to the server's main thread: on a machine whose cores the report (this
 * thread and its database backend) keeps busy, the main thread's event loop otherwise waited for a
 * core for 20–95 ms at a time while a month was computed (docs/PERFORMANCE.md, "Reports").
 */
lowerThreadPriority(10);

/** Jobs one at a time, in order; each opens its own connection (jobs may name different databases: tests). */
let queue = Promise.resolve();
parentPort!.on('message', (m: { id: number; job: ComputeJob }) => {
  queue = queue.then(() => run(m.id, m.job));
});

async function run(id: number, job: ComputeJob): Promise<void> {
  const handle = openDb({
    databaseUrl: job.databaseUrl,
    sqliteFile: job.sqliteFile,
    pgSchema: job.pgSchema,
    poolSize: 2,
    // A report is background work beside a chat server: no parallel query workers, which would
    // put two more PostgreSQL processes on the machine's cores while the report reads a month
    // (the server's own event loop then waited for a core: docs/PERFORMANCE.md, "Reports").
    pgSettings: { max_parallel_workers_per_gather: 0 },
  });
  try {
    if (handle.engine === 'sqlite') {
      // A month's report reads millions of rows in conversation order, scattered over the file:
      // a large page cache and a memory-mapped file (reads without a system call per page) for
      // this read-only connection; the server's connections keep SQLite's defaults.
      await sql`PRAGMA cache_size = -131072`.execute(handle.db); // 128 MiB
      await sql`PRAGMA mmap_size = 2147483648`.execute(handle.db); // up to 2 GiB of the file
    }
    const computed = await computeWithInputs(
      // Yield the CPU: a 5 ms pause after every 20 ms of work (pace.ts, docs/PERFORMANCE.md "Reports").
      { db: handle.db, clock: { now: () => new Date(job.now) }, pace: dutyCycle(20, 5) },
      job.workspaceId,
      job.type,
      job.periodKey,
      {
        ...(job.sloPercent === undefined ? {} : { sloPercent: job.sloPercent }),
        provisional: job.provisional,
        ...(job.inputsText === undefined ? {} : { inputs: JSON.parse(job.inputsText) as InputSnapshot }),
      },
    );
    // Serialised and hashed here, not on the server's thread (service.ts `Computed`).
    const { document: _, ...done } = serialise(computed, job.inputsText);
    parentPort!.postMessage({ id, done });
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string };
    parentPort!.postMessage({ id, error: { status: e.status, code: e.code, message: e.message ?? String(err) } });
  } finally {
    await handle.close();
  }
}
