import { describe, expect, it } from 'vitest';
import { timeSlice } from './turns.ts';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

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
