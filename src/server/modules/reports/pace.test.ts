/** The report worker's duty cycle: no pause before 20 ms of work, a real pause of ~5 ms after, the count restarting. */
import { describe, expect, it } from 'vitest';
import { dutyCycle } from './pace.ts';

describe('dutyCycle', () => {
  it('pauses once the work since the last pause reaches workMs, then counts again', async () => {
    let t = 0;
    const pace = dutyCycle(20, 5, () => t);
    const paused = async () => {
      const start = performance.now();
      await pace();
      return performance.now() - start >= 4; // a timer of 5 ms (allowing for timer rounding)
    };
    t = 19;
    expect(await paused()).toBe(false);
    t = 20;
    expect(await paused()).toBe(true);
    t = 39; // 19 ms since the pause ended
    expect(await paused()).toBe(false);
    t = 40;
    expect(await paused()).toBe(true);
  });
});
