/**
 * Giving the event loop a turn. On SQLite every statement runs on the main thread and an awaited
 * call resolves as a microtask, so a loop of awaited statements never lets timers or sockets run:
 * long work (a storm of events, thousands of alerts) takes turns so the chat gateway sharing the
 * thread keeps its latency.
 */
import { performance } from 'node:perf_hooks';

/** Resolves after the loop has run its pending I/O and timers once. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A time slice: each call returns at once until `budgetMs` of work has run since the last turn,
 * then gives the loop a turn. Call it between units of work.
 */
export function timeSlice(budgetMs = 5): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await nextTurn();
    since = performance.now();
  };
}
