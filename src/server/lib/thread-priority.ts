/**
 * Background threads that should give way to the event loop. On Linux a thread's nice value is its
 * own (`setpriority` on a thread id moves that thread only), so a worker thread doing long
 * background work (a month's report) can lower its own priority: when the machine's cores are all
 * busy, the scheduler then runs the process's main thread (the chat gateway's event loop) first
 * instead of making it wait for a core. Raising a nice value needs no privilege.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The calling thread's kernel id on Linux (`/proc/thread-self` is `<pid>/task/<tid>`); null elsewhere. */
export function kernelThreadId(): number | null {
  try {
    const m = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Raises the calling thread's nice value by `by` (at most to 19); the other threads of the process
 * keep theirs. Returns the thread's new nice value, or null where threads have no priority of their
 * own (not Linux) or it could not be changed (best effort: the work runs either way).
 */
export function lowerThreadPriority(by = 10): number | null {
  const tid = kernelThreadId();
  if (tid === null || tid === process.pid) return null; // the main thread's id is the process's: that would be all of it
  try {
    const nice = Math.min(19, getPriority(tid) + by);
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return null;
  }
}
