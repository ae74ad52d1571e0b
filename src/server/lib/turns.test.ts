import { describe, expect, it } from 'vitest';
import { nextTurn, stepsInTurns, timeSlice, turnQueue } from './turns.ts';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('nextTurn', () => {
  it('resumes one of the tasks waiting at once per turn of the loop, timers between them', async () => {
    const order: string[] = [];
    // Two tasks that yield at the same moment (a rule cycle and the outbox's deliveries in a storm).
    const a = nextTurn().then(() => {
      setTimeout(() => order.push('timer'), 0);
      busy(5); // a unit of work: the timer is due when it ends
      order.push('a');
    });
    const b = nextTurn().then(() => void order.push('b'));
    await Promise.all([a, b]);
    await new Promise((r) => setTimeout(r, 5));
    // With both resumed in one check phase, b's unit would have run right after a's, before the timer.
    expect(order).toEqual(['a', 'timer', 'b']);
  });

  it('resumes every waiting task, in the order they asked', async () => {
    const order: number[] = [];
    await Promise.all(Array.from({ length: 50 }, (_, i) => nextTurn().then(() => void order.push(i))));
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('timeSlice', () => {
  it('lets a timer run while a long loop of work takes its slices', async () => {
    let fired = 0;
    const timer = setInterval(() => fired++, 1);
    const pause = timeSlice(5);
    for (let i = 0; i < 40; i++) {
      busy(1);
      await pause();
    }
    clearInterval(timer);
    // 40 ms of work in 5 ms slices: the 1 ms timer ran between the slices.
    expect(fired).toBeGreaterThanOrEqual(4);
  });

  it('does not yield before the budget is spent', async () => {
    let fired = 0;
    const immediate = setImmediate(() => fired++);
    const pause = timeSlice(1_000);
    await pause();
    expect(fired).toBe(0);
    clearImmediate(immediate);
  });
});

describe('stepsInTurns', () => {
  it('commits units of at most `max` steps, a turn between them', async () => {
    const units: number[][] = [];
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const steps = Array.from({ length: 7 }, (_, i) => async (tx: number[]) => void tx.push(i));
    await stepsInTurns(
      steps,
      async (body) => {
        const tx: number[] = [];
        await body(tx);
        units.push(tx);
      },
      { max: 3, budgetMs: 1_000 },
    );
    clearInterval(timer);
    expect(units).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('closes a unit when its time budget is spent', async () => {
    const units: number[] = [];
    const steps = Array.from({ length: 6 }, () => async (tx: { n: number }) => {
      busy(2);
      tx.n++;
    });
    await stepsInTurns(
      steps,
      async (body) => {
        const tx = { n: 0 };
        await body(tx);
        units.push(tx.n);
      },
      { budgetMs: 3, max: 50 },
    );
    // 2 ms steps with a 3 ms budget: at most two steps to a unit (one when the thread was held up).
    expect(units.every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(units.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('starts a retried unit again from its first step', async () => {
    const ran: number[] = [];
    let attempts = 0;
    const steps = Array.from({ length: 4 }, (_, i) => async () => void ran.push(i));
    await stepsInTurns(
      steps,
      async (body) => {
        await body(undefined);
        if (attempts++ === 0) await body(undefined); // a retry after a busy commit
      },
      { max: 2, budgetMs: 1_000 },
    );
    expect(ran).toEqual([0, 1, 0, 1, 2, 3]);
  });
});

describe('turnQueue', () => {
  it('runs tasks one at a time, in order, with turns when the budget is spent', async () => {
    const run = turnQueue(3);
    let fired = 0;
    const timer = setInterval(() => fired++, 1);
    const order: number[] = [];
    let running = 0;
    let overlap = false;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        run(async () => {
          overlap ||= running++ > 0;
          busy(1);
          await Promise.resolve();
          order.push(i);
          running--;
        }),
      ),
    );
    clearInterval(timer);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(overlap).toBe(false);
    // 20 ms of work in 3 ms slices: the 1 ms timer ran between them.
    expect(fired).toBeGreaterThanOrEqual(3);
  });

  it('goes on after a task fails', async () => {
    const run = turnQueue();
    await expect(run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(run(async () => 42)).resolves.toBe(42);
  });
});
