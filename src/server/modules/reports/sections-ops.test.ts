/** The slowest statements and rule evaluations: flushes of one shape merged, p95 by nearest rank from the histogram. */
import { describe, expect, it } from 'vitest';
import { perfBounds } from '../../lib/ops-records/recorder.ts';
import { p95Bound, slowest } from './sections-ops.ts';

describe('slowest and p95Bound', () => {
  const row = (shape: string, buckets: number[], maxMs: number) => ({
    kind: 'query',
    shape,
    count: buckets.reduce((a, b) => a + b, 0),
    totalMs: 0,
    maxMs,
    buckets,
  });
  it('reads the p95 by nearest rank from the histogram and merges the flushes of one shape', () => {
    // 19 fast (≤ 1 ms) and one of 50 ms: rank 19 of 20 is fast.
    expect(p95Bound({ count: 20, buckets: [19, 0, 0, 0, 0, 1] })).toBe(1);
    expect(p95Bound({ count: 10, buckets: [9, 0, 0, 0, 0, 1] })).toBe(50);
    expect(p95Bound({ count: 1, buckets: [...perfBounds.map(() => 0), 1] })).toBeNull();
    const top = slowest(
      [row('a', [10], 1), row('b', [0, 0, 3], 4), row('a', [0, 0, 0, 0, 0, 0, 0, 0, 0, 20], 900)],
      'query',
    );
    expect(top.map((x) => [x.shape, x.count, x.maxMs, p95Bound(x)])).toEqual([
      ['a', 30, 900, 1000],
      ['b', 3, 4, 5],
    ]);
  });
});
