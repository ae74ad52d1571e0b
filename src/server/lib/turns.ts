/**
 * Giving the event loop a turn. On SQLite every statement runs on the main thread and an awaited
 * call resolves as a microtask, so a loop of awaited statements never lets timers or sockets run:
 * long work (a storm of events, thousands of alerts) takes turns so the chat gateway sharing the
 * thread keeps its latency.
 */
import { performance } from 'node:perf_hooks';
// The real one, kept at load: the grants are one chain of immediates, and a fake timer installed
// later (a test's) must not swallow a link of it (every later turn of the process would wait).
import { setImmediate } from 'node:timers';

/**
 * Work waiting for a turn, granted one per turn of the loop. With a bare `setImmediate` each, every
 * task that yields at the same time (the rule cycle, the outbox's deliveries, probe results, the
 * sampler, the store's writes: an alert storm runs them all at once) resumes in the same check
 * phase, so their units ran back to back and the loop was held for the sum of them, not for one
 * unit (the storm window of the monitoring bench's gateway phase, docs/PERFORMANCE.md).
 */
const waiting: (() => void)[] = [];
let granting = false;
function grant(): void {
  const next = waiting.shift();
  // Scheduled from the check phase, the next grant comes after the loop's next poll for I/O and its timers.
  if (waiting.length) setImmediate(grant);
  else granting = false;
  next?.();
}

/**
 * Resolves after the loop has run its pending I/O and timers once; of several tasks waiting for a
 * turn, one resumes per turn of the loop (in the order they asked), so the loop is held for at
 * most one of their units at a time.
 */
export const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    if (!granting) {
      granting = true;
      setImmediate(grant);
    }
  });

/** What a time slice measures work with and how it yields (a test passes a fake clock and counts turns). */
export type Turns = { now(): number; turn(): Promise<void> };
export const realTurns: Turns = { now: () => performance.now(), turn: nextTurn };

/**
 * A time slice: each call returns at once until `budgetMs` of work has run since the last turn,
 * then gives the loop a turn. Call it between units of work: the loop is held for at most
 * `budgetMs` plus one unit.
 */
export function timeSlice(budgetMs = 5, turns: Turns = realTurns): () => Promise<void> {
  let since = turns.now();
  return async () => {
    if (turns.now() - since < budgetMs) return;
    await turns.turn();
    since = turns.now();
  };
}

/**
 * Runs `steps` in units of work (`unit` opens one: a transaction) of at most `max` steps and
 * about `budgetMs` of work each, with a turn of the loop between units: a storm of thousands of
 * small writes never holds the loop for longer than one unit. A unit that is retried (its body
 * called again) starts again from its first step.
 */
export async function stepsInTurns<T>(
  steps: readonly ((tx: T) => Promise<void>)[],
  unit: (body: (tx: T) => Promise<void>) => Promise<void>,
  opts: { budgetMs?: number; max?: number } = {},
): Promise<void> {
  const budgetMs = opts.budgetMs ?? 2;
  const max = opts.max ?? 50;
  let done = 0;
  while (done < steps.length) {
    if (done) await nextTurn();
    let next = done;
    await unit(async (tx) => {
      const started = performance.now();
      next = done;
      do await steps[next++]!(tx);
      while (next < steps.length && next - done < max && performance.now() - started < budgetMs);
    });
    done = next;
  }
}

/**
 * A queue that runs tasks one at a time, giving the loop a turn whenever `budgetMs` of them has
 * run since the last: work that completes in bursts (hundreds of probe results arriving in one
 * poll of the loop) is spread over turns instead of running back to back.
 */
export function turnQueue(budgetMs = 2): <R>(task: () => Promise<R>) => Promise<R> {
  const pause = timeSlice(budgetMs);
  let tail: Promise<unknown> = Promise.resolve();
  return <R>(task: () => Promise<R>) => {
    const run = tail.then(async () => {
      await pause();
      return task();
    });
    tail = run.catch(() => undefined);
    return run;
  };
}
