/**
 * A duty cycle for the report worker: a report is background work beside a chat server, and on a
 * small machine the worker thread and its PostgreSQL backend can take every core for tens of
 * seconds, so the server's event loop waits for one. `await pace()` between steps pauses the
 * worker for `pauseMs` once it has worked `workMs` since the last pause (while it pauses, its
 * database backend has no query either), so the report yields the CPU regularly and takes
 * a little longer (at most pauseMs / workMs more).
 */
export type Pace = () => Promise<void>;

export function dutyCycle(workMs = 20, pauseMs = 5, now: () => number = () => performance.now()): Pace {
  let since = now();
  return async () => {
    if (now() - since < workMs) return;
    await new Promise((r) => setTimeout(r, pauseMs));
    since = now();
  };
}
