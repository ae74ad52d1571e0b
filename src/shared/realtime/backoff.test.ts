import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffMaxMs, backoffMinMs } from './backoff.ts';

describe('backoffDelay', () => {
  it('starts at 0.5–1 s and doubles per attempt', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 0.999999)).toBe(1000);
    expect(backoffDelay(1, () => 0)).toBe(1000);
    expect(backoffDelay(2, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 0.5)).toBe(6000);
  });

  it('never exceeds 30 s nor drops under 0.5 s, whatever the attempt or random source', () => {
    for (let attempt = -3; attempt < 200; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.75, 0.9999, 1, -3, 7]) {
        const d = backoffDelay(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(backoffMinMs);
        expect(d).toBeLessThanOrEqual(backoffMaxMs);
      }
    }
    expect(backoffDelay(100, () => 0.999999)).toBe(backoffMaxMs);
    expect(backoffDelay(100, () => 0)).toBe(backoffMaxMs / 2);
    expect(backoffDelay(-3, () => 5)).toBe(1000); // a negative attempt is the first one
  });

  it('spreads clients that reconnect at the same moment', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
